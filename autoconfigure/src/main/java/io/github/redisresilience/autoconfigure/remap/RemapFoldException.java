package io.github.redisresilience.autoconfigure.remap;

import java.util.List;

/**
 * Thrown at startup when remap rules would send several cluster nodes to one address and
 * {@code redis.resilience.remap.on-fold} is {@code fail}. Each node connection would then
 * land on whichever node that one address reaches, and commands would loop on MOVED
 * redirections.
 */
class RemapFoldException extends IllegalStateException {

	private final String property;

	private final String target;

	private final List<String> rules;

	/**
	 * Create a new instance.
	 * @param property the {@code to} property of the first rule involved
	 * @param target the address several nodes would share
	 * @param rules the rules involved, each as {@code name ('from' -> 'to')}
	 */
	public RemapFoldException(String property, String target, List<String> rules) {
		super("Remap rules " + rules + " fold several cluster nodes onto " + target);
		this.property = property;
		this.target = target;
		this.rules = List.copyOf(rules);
	}

	/**
	 * Return the {@code to} property of the first rule involved, such as
	 * {@code redis.resilience.remap.rules[0].to}.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the address several nodes would share, {@code host:port} or {@code host:*}
	 * when the announced port is kept.
	 * @return the shared address
	 */
	public String getTarget() {
		return this.target;
	}

	/**
	 * Return the rules involved, each described as {@code name ('from' -> 'to')}.
	 * @return the rules
	 */
	public List<String> getRules() {
		return this.rules;
	}

}
