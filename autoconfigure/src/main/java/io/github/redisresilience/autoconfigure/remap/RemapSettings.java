package io.github.redisresilience.autoconfigure.remap;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What {@code redis.resilience.remap} asks for, as values: the remapper is built from these,
 * never from the properties class, so that this package depends on nothing of the starter's.
 *
 * @param rules the rules in order; the first match wins
 * @param proxyEndpoint host and port of a cluster-aware proxy, or {@code null}
 * @param onFold what to do when rules send several nodes to one address without a proxy
 */
public record RemapSettings(List<Rule> rules, @Nullable String proxyEndpoint, FoldPolicy onFold) {

	/** No rules, no proxy: every node is dialled as it announces itself. */
	public static final RemapSettings NONE = new RemapSettings(List.of(), null, FoldPolicy.FAIL);

	public RemapSettings {
		rules = List.copyOf(rules);
	}

	/**
	 * One rule as written.
	 *
	 * @param from the announced address to match, or {@code null} when left out
	 * @param to the address to dial instead, or {@code null} when left out
	 */
	public record Rule(@Nullable String from, @Nullable String to) {
	}

}
