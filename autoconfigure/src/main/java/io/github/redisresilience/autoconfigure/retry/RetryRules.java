package io.github.redisresilience.autoconfigure.retry;

/**
 * Decides whether a failed command may be retried: always after a failure where it certainly
 * did not run, after an ambiguous failure as {@link AmbiguousFailureRetry} says, never after a
 * permanent failure, and never for commands that must not be retried.
 *
 * @param ambiguous which commands are retried after an ambiguous failure
 */
record RetryRules(AmbiguousFailureRetry ambiguous) {

	boolean mayRetry(CommandKind command, Failure failure) {
		if (command == CommandKind.NEVER_RETRIED) {
			return false;
		}
		return switch (failure.kind()) {
			case NOT_EXECUTED -> true;
			case AMBIGUOUS -> retriesAmbiguous(command);
			case PERMANENT -> false;
		};
	}

	boolean retriesAmbiguous(CommandKind command) {
		return switch (this.ambiguous) {
			case ALL -> command != CommandKind.NEVER_RETRIED;
			case IDEMPOTENT_ONLY -> command.isIdempotent();
			case NONE -> false;
		};
	}

}
