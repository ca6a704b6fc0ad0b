// The sample's status page: polls /status (and /chaos in the local-cluster mode) every second,
// /actuator/health every three. No framework, no build step.
'use strict';

const CHART_SECONDS = 120;
const RECENT_CHANGE_MS = 60000;
const $ = (selector, root = document) => root.querySelector(selector);
let chaosEnabled = false;
let chaosRuns = [];
let chaosRunning = null;

function el(tag, attributes = {}, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (value === undefined || value === null) continue;
		if (name === 'className') node.className = value;
		else node.setAttribute(name, value);
	}
	for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
	return node;
}

const time = (ms) => new Date(ms).toLocaleTimeString([], { hour12: false });
const seconds = (ms) => (ms / 1000).toFixed(1) + ' s';
const shortId = (id) => id.substring(0, 8);

async function getJson(url) {
	const response = await fetch(url, { cache: 'no-store' });
	if (!response.ok && response.status !== 503) throw new Error(url + ': HTTP ' + response.status);
	return response.json();
}

async function pollStatus() {
	try {
		const status = await getJson('status');
		renderStatus(status);
		if (status.chaosEnabled) {
			chaosEnabled = true;
			renderChaos(await getJson('chaos'));
		}
		renderChart(status);
	} catch (error) {
		setBadge('degraded-badge', 'down', 'app unreachable');
	} finally {
		setTimeout(pollStatus, 1000);
	}
}

async function pollHealth() {
	try {
		renderHealth(await getJson('actuator/health'));
	} catch (error) {
		setBadge('health-badge', 'down', 'health unreachable');
	} finally {
		setTimeout(pollHealth, 3000);
	}
}

function setBadge(id, state, text) {
	const badge = document.getElementById(id);
	badge.className = 'badge ' + state;
	badge.textContent = text;
}

function renderStatus(status) {
	if (!status.starterActive) setBadge('degraded-badge', 'down', 'starter not active');
	else if (status.degraded) setBadge('degraded-badge', 'degraded', 'client degraded: refreshing fast');
	else setBadge('degraded-badge', 'healthy', 'client steady');
	const refresh = status.lastRefresh;
	$('#last-refresh').textContent = refresh
		? `last refresh by the starter ${time(refresh.startedAt)} (${refresh.trigger}, ${refresh.tookMillis} ms${refresh.error ? ', failed: ' + refresh.error : ''})`
		: 'no refresh by the starter yet (Lettuce refreshes on its own period too)';
	renderTopology(status);
	renderChanges(status);
	renderTraffic(status.traffic, status.now);
}

function renderTopology(status) {
	const recentlyMoved = new Set(status.addressChanges
		.filter((change) => status.now - change.detectedAt < RECENT_CHANGE_MS)
		.map((change) => change.nodeId));
	const rows = status.nodes.map((node) => el('tr', {
		className: [node.role, recentlyMoved.has(node.nodeId) ? 'moved' : ''].join(' ').trim(),
		'data-node-id': node.nodeId, 'data-announced': node.announced, 'data-role': node.role,
	},
		el('td', { className: 'mono', title: node.nodeId }, shortId(node.nodeId)),
		el('td', {}, node.role === 'replica' && node.masterId ? 'replica of ' + shortId(node.masterId) : node.role),
		el('td', { className: 'mono announced' }, node.announced),
		el('td', { className: 'mono dialled' }, node.dialled === node.announced ? '= announced' : node.dialled),
		el('td', { className: 'mono' }, node.slotCount ? `${node.slots} (${node.slotCount})` : '–'),
		el('td', { className: 'muted' }, node.flags.filter((flag) => !['master', 'upstream', 'slave', 'replica', 'myself'].includes(flag)).join(' ') || '')));
	$('#topology tbody').replaceChildren(...rows);
}

function renderChanges(status) {
	const items = status.addressChanges.map((change) => el('li', {
		className: status.now - change.detectedAt < RECENT_CHANGE_MS ? 'new' : '',
		'data-node-id': change.nodeId, 'data-from': change.from, 'data-to': change.to,
	}, `${time(change.detectedAt)}  `, el('span', { className: 'mono' }, shortId(change.nodeId)), ': ',
		el('span', { className: 'mono' }, change.from), ' → ', el('span', { className: 'mono' }, change.to)));
	$('#changes ol').replaceChildren(...items);
	$('#changes .empty').hidden = items.length > 0;
}

function renderTraffic(traffic, now) {
	const section = $('#traffic');
	section.dataset.nominalRate = traffic.nominalRate;
	section.dataset.failures = traffic.failures;
	section.dataset.operations = traffic.operations;
	$('#traffic-setup').textContent = traffic.enabled
		? `built-in generator: ${traffic.threads} threads, one operation each every ${traffic.paceMillis} ms (${traffic.nominalRate} operations/s)`
		: 'the traffic generator is off (sample.traffic.enabled=false)';
	const full = traffic.seconds.slice(0, -1);
	const last = full[full.length - 1] || { operations: 0, failures: 0, averageMillis: 0, maxMillis: 0 };
	const recentFailures = full.slice(-10).reduce((sum, second) => sum + second.failures, 0);
	$('#ops-rate').textContent = last.operations;
	$('#failures-recent').textContent = recentFailures;
	$('#failures-recent').parentElement.classList.toggle('bad', recentFailures > 0);
	$('#latency').textContent = `${last.averageMillis.toFixed(1)} / ${last.maxMillis.toFixed(0)}`;
	$('#ops-total').textContent = traffic.operations.toLocaleString();
	$('#failures-total').textContent = traffic.failures.toLocaleString();
	$('#failures-total').parentElement.classList.toggle('bad', traffic.failures > 0);
	const lastError = $('#last-error');
	lastError.hidden = !traffic.lastError;
	if (traffic.lastError) lastError.textContent = `last failure ${time(traffic.lastErrorAt)}: ${traffic.lastError}`;
}

function renderChaos(chaos) {
	$('#chaos').hidden = false;
	chaosRuns = chaos.finished;
	chaosRunning = chaos.running && chaos.running.operation ? chaos.running : null;
	for (const button of document.querySelectorAll('#chaos button')) button.disabled = chaosRunning !== null;
	const running = $('#chaos-running');
	running.hidden = chaosRunning === null;
	if (chaosRunning) running.textContent = `${chaosRunning.label}: running for ${seconds(Date.now() - chaosRunning.startedAt)} …`;
	$('#chaos-runs tbody').replaceChildren(...chaos.finished.map((run) => {
		const state = run.error ? 'failed' : (run.recoveredAt ? 'recovered' : 'not-recovered');
		return el('tr', {
			'data-operation': run.operation, 'data-state': state, 'data-started-at': run.startedAt,
			'data-healed-after-ms': run.healedAfterMillis, 'data-operations': run.operations, 'data-failures': run.failures,
			'data-failures-after-heal': run.failuresAfterHeal, 'data-recovery-ms': run.recoveryMillis,
		},
			el('td', {}, run.label, run.error ? el('div', { className: 'error' }, run.error) : ''),
			el('td', {}, time(run.startedAt)),
			el('td', {}, seconds(run.healedAfterMillis)),
			el('td', {}, run.recoveredAt ? `${seconds(run.recoveryMillis)} after the heal` : (run.error ? '–' : 'not within 30 s')),
			el('td', { className: run.failures > 0 ? 'error' : '' }, `${run.failures} / ${run.operations}`),
			el('td', {}, run.failuresAfterHeal),
			el('td', { className: 'mono' }, run.addressChanges.length ? run.addressChanges.length + ' nodes' : '–'));
	}));
	$('#pods tbody').replaceChildren(...chaos.pods.map((pod) => el('tr', {},
		el('td', { className: 'mono' }, pod.name), el('td', { className: 'mono' }, pod.address),
		el('td', {}, pod.role), el('td', {}, pod.state))));
}

async function startChaos(operation) {
	for (const button of document.querySelectorAll('#chaos button')) button.disabled = true;
	const response = await fetch('chaos/' + operation, { method: 'POST' });
	if (!response.ok) {
		const body = await response.json().catch(() => ({}));
		$('#chaos-running').hidden = false;
		$('#chaos-running').textContent = body.error || ('could not start: HTTP ' + response.status);
	}
}

function renderHealth(health) {
	setBadge('health-badge', health.status === 'UP' ? 'up' : 'down', 'health ' + health.status);
	const list = $('#health dl');
	const entries = [];
	for (const [name, component] of Object.entries(health.components || {})) {
		entries.push(el('dt', {}, name), el('dd', {}, el('span', { className: 'status-' + component.status }, component.status),
			component.details ? ' ' + summarise(component.details) : ''));
	}
	list.replaceChildren(...entries);
}

function summarise(details) {
	return Object.entries(details)
		.filter(([, value]) => value === null || typeof value !== 'object')
		.map(([key, value]) => `${key}=${value}`)
		.slice(0, 8)
		.join(', ');
}

function renderChart(status) {
	const canvas = $('#chart');
	const ratio = window.devicePixelRatio || 1;
	const width = canvas.clientWidth;
	const height = canvas.clientHeight || 220;
	if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
	canvas.height = Math.round(height * ratio);
	const g = canvas.getContext('2d');
	g.setTransform(ratio, 0, 0, ratio, 0, 0);
	g.clearRect(0, 0, width, height);
	const seconds = status.traffic.seconds.slice(-CHART_SECONDS);
	const left = 44, right = 8, top = 8, bottom = 22;
	const plotWidth = width - left - right, plotHeight = height - top - bottom;
	const maxValue = Math.max(10, status.traffic.nominalRate * 1.25, ...seconds.map((second) => second.operations));
	const step = plotWidth / CHART_SECONDS;
	const first = seconds.length ? seconds[0].epochSecond : 0;
	const x = (epochSecond) => left + (epochSecond - first) * step;
	const y = (value) => top + plotHeight - (value / maxValue) * plotHeight;
	// Chaos runs, from their start to the heal, behind the bars.
	g.fillStyle = 'rgba(240, 173, 78, 0.25)';
	const spans = chaosRuns.map((run) => [run.startedAt, run.healedAt]);
	if (chaosRunning) spans.push([chaosRunning.startedAt, Date.now()]);
	for (const [from, to] of spans) {
		const start = Math.max(left, x(from / 1000)), end = Math.min(left + plotWidth, x(to / 1000));
		if (end > start) g.fillRect(start, top, end - start, plotHeight);
	}
	// Grid and labels.
	g.strokeStyle = '#e5e7eb';
	g.fillStyle = '#6b7280';
	g.font = '11px system-ui, sans-serif';
	g.lineWidth = 1;
	for (let i = 0; i <= 4; i++) {
		const value = (maxValue / 4) * i;
		g.beginPath(); g.moveTo(left, y(value) + 0.5); g.lineTo(left + plotWidth, y(value) + 0.5); g.stroke();
		g.fillText(Math.round(value), 6, y(value) + 4);
	}
	for (let ago = CHART_SECONDS; ago >= 0; ago -= 30) {
		g.fillText(ago === 0 ? 'now' : `-${ago}s`, left + plotWidth - ago * step - 10, height - 6);
	}
	// One bar per second: successes in green, failures stacked on top in red.
	for (const second of seconds) {
		const ok = second.operations - second.failures;
		const barX = x(second.epochSecond) + 0.5, barWidth = Math.max(1, step - 1);
		g.fillStyle = '#2e8b57';
		g.fillRect(barX, y(ok), barWidth, y(0) - y(ok));
		if (second.failures > 0) {
			g.fillStyle = '#d64545';
			g.fillRect(barX, y(second.operations), barWidth, y(ok) - y(second.operations));
		}
	}
}

document.querySelectorAll('#chaos button').forEach((button) => button.addEventListener('click', () => startChaos(button.dataset.op)));
pollStatus();
pollHealth();
