package io.github.redisresilience.autoconfigure.remap;

import java.util.List;
import java.util.Optional;

import io.lettuce.core.internal.HostAndPort;

/**
 * A parsed remap rule.
 *
 * @param name the rule's property name, such as {@code redis.resilience.remap.rules[0]}
 * @param from the {@code from} text as configured
 * @param to the {@code to} text as configured
 * @param pattern which announced addresses the rule applies to
 * @param target the address to dial instead
 */
record RemapRule(String name, String from, String to, AddressPattern pattern, TargetTemplate target) {

	/**
	 * Map an announced address if the rule applies to it.
	 * @param announced the announced address
	 * @return the address to dial, or empty if the rule does not apply
	 */
	Optional<HostAndPort> apply(HostAndPort announced) {
		Optional<List<String>> groups = this.pattern.match(announced);
		return groups.map((captured) -> this.target.render(announced, captured, this.name));
	}

	/**
	 * Describe the rule for messages, as {@code name ('from' -> 'to')}.
	 * @return the description
	 */
	String describe() {
		return this.name + " ('" + this.from + "' -> '" + this.to + "')";
	}

}
