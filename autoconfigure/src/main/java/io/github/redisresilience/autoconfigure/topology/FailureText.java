package io.github.redisresilience.autoconfigure.topology;

/**
 * A failure of a read or a refresh as the watcher logs it.
 */
final class FailureText {

	private FailureText() {
	}

	static String describe(Throwable failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		String text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
		// "Unable to connect to ..." says where, the innermost cause says why (refused, TLS, DNS).
		Throwable root = cause;
		for (int depth = 0; depth < 10 && root.getCause() != null && root.getCause() != root; depth++) {
			root = root.getCause();
		}
		return (root == cause) ? text : text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
	}

}
