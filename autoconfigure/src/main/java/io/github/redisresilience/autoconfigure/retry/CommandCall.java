package io.github.redisresilience.autoconfigure.retry;

/**
 * One call of a Redis command through a Spring Data Redis connection: the command's name as
 * Redis spells it and what repeating it would do.
 *
 * @param name the command name, upper case, such as {@code SET}
 * @param kind what repeating it would do
 */
record CommandCall(String name, CommandKind kind) {

	@Override
	public String toString() {
		return this.name;
	}

}
