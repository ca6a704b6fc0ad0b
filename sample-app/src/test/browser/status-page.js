// Opens the sample's status page in headless Chromium, clicks "Move all pods" and checks what the
// page shows: every node at a new address, an address-change entry per node, and no failure.
// Run by StatusPageBrowserIT; environment: SAMPLE_URL, CHROMIUM, SCREENSHOT, NODE_PATH (playwright-core).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const url = process.env.SAMPLE_URL;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshot = process.env.SCREENSHOT || 'status-page.png';

// With the starter's command retry, moving every pod costs the application no failed operation:
// the test expects none, during the move and after the heal.
const RUN_TIMEOUT_MS = 90000;

function fail(message) {
	throw new Error(message);
}

async function rows(page) {
	return page.$$eval('#topology tbody tr[data-node-id]',
		(trs) => trs.map((tr) => ({ nodeId: tr.dataset.nodeId, announced: tr.dataset.announced, role: tr.dataset.role })));
}

async function main() {
	if (!url) fail('SAMPLE_URL is not set');
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
			'--disable-component-update', '--no-first-run', '--disable-sync'],
		viewport: { width: 1280, height: 1000 },
	});
	const page = context.pages()[0] || await context.newPage();
	const pageErrors = [];
	page.on('pageerror', (error) => pageErrors.push(error.message));
	try {
		await page.goto(url);
		await page.waitForFunction(() => document.querySelectorAll('#topology tbody tr[data-node-id]').length >= 6
			&& Number(document.querySelector('#traffic').dataset.operations) > 0
			&& !document.querySelector('#chaos').hidden, null, { timeout: 30000 });
		const before = await rows(page);
		console.log(`[browser] before: ${before.map((row) => `${row.nodeId.substring(0, 8)}@${row.announced}`).join(' ')}`);

		const clickedAt = Date.now();
		await page.click('#chaos button[data-op="move-all-pods"]');
		const run = await page.waitForFunction((since) => [...document.querySelectorAll('#chaos-runs tr[data-operation="move-all-pods"]')]
			.find((tr) => Number(tr.dataset.startedAt) >= since), clickedAt - 2000, { timeout: RUN_TIMEOUT_MS });
		const result = await run.evaluate((tr) => ({ ...tr.dataset }));

		// The topology table follows the client's view, which the starter refreshes after the move.
		const previous = Object.fromEntries(before.map((row) => [row.nodeId, row.announced]));
		await page.waitForFunction((old) => {
			const trs = [...document.querySelectorAll('#topology tbody tr[data-node-id]')];
			return trs.length === Object.keys(old).length
				&& trs.every((tr) => old[tr.dataset.nodeId] !== undefined && old[tr.dataset.nodeId] !== tr.dataset.announced);
		}, previous, { timeout: 30000 }).catch(async () => fail(`the topology table still shows old addresses: ${JSON.stringify(await rows(page))}`));
		const after = await rows(page);
		for (const row of after) {
			const entry = await page.$(`#changes li[data-node-id="${row.nodeId}"][data-from="${previous[row.nodeId]}"][data-to="${row.announced}"]`);
			if (!entry) fail(`no address-change entry for ${row.nodeId}: ${previous[row.nodeId]} -> ${row.announced}`);
		}
		console.log(`[browser] after:  ${after.map((row) => `${row.nodeId.substring(0, 8)}@${row.announced}`).join(' ')}`);
		await page.waitForTimeout(1500); // one more poll, so the screenshot's chart shows the recovery
		await page.screenshot({ path: screenshot, fullPage: true });

		const rate = Number(await page.$eval('#traffic', (section) => section.dataset.nominalRate));
		console.log(`[browser] move all pods: cluster healed after ${result.healedAfterMs} ms; state ${result.state}; `
			+ `recovered ${result.recoveryMs} ms after the heal; ${result.failures} of ${result.operations} operations failed `
			+ `, ${result.failuresAfterHeal} after the heal; nominal rate ${rate}/s; `
			+ `screenshot ${screenshot}`);
		if (result.state !== 'recovered') fail(`the application did not recover within 30 s of the heal: ${JSON.stringify(result)}`);
		if (Number(result.failures) !== 0) fail(`${result.failures} operations failed during the move (${result.failuresAfterHeal} after the heal); the page should show none`);
		if (pageErrors.length) fail(`the page raised errors: ${pageErrors.join('; ')}`);
	} catch (error) {
		await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
		throw error;
	} finally {
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
}

main().then(() => console.log('[browser] passed'), (error) => {
	console.error('[browser] FAILED: ' + error.message);
	process.exit(1);
});
