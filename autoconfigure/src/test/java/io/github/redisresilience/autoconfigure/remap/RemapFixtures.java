package io.github.redisresilience.autoconfigure.remap;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds remap settings for tests.
 */
final class RemapFixtures {

	private RemapFixtures() {
	}

	/**
	 * Build remap settings from pairs of {@code from} and {@code to}.
	 * @param fromTo from, to, from, to...
	 * @return the settings, without a proxy endpoint, failing on folds
	 */
	static RemapSettings rules(String... fromTo) {
		List<RemapSettings.Rule> rules = new ArrayList<>();
		for (int i = 0; i < fromTo.length; i += 2) {
			rules.add(new RemapSettings.Rule(fromTo[i], fromTo[i + 1]));
		}
		return new RemapSettings(rules, null, FoldPolicy.FAIL);
	}

	static RemapSettings withProxyEndpoint(RemapSettings remap, String proxyEndpoint) {
		return new RemapSettings(remap.rules(), proxyEndpoint, remap.onFold());
	}

	static RemapSettings withOnFold(RemapSettings remap, FoldPolicy onFold) {
		return new RemapSettings(remap.rules(), remap.proxyEndpoint(), onFold);
	}

}
