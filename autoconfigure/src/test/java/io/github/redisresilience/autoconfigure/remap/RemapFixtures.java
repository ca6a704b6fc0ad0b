package io.github.redisresilience.autoconfigure.remap;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Remap;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Remap.Rule;

/**
 * Builds remap properties for tests.
 */
final class RemapFixtures {

	private RemapFixtures() {
	}

	/**
	 * Build remap properties from pairs of {@code from} and {@code to}.
	 * @param fromTo from, to, from, to...
	 * @return the properties
	 */
	static Remap rules(String... fromTo) {
		Remap remap = new Remap();
		for (int i = 0; i < fromTo.length; i += 2) {
			Rule rule = new Rule();
			rule.setFrom(fromTo[i]);
			rule.setTo(fromTo[i + 1]);
			remap.getRules().add(rule);
		}
		return remap;
	}

}
