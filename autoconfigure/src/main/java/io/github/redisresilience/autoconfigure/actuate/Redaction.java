package io.github.redisresilience.autoconfigure.actuate;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Removes credentials from text shown in health details and endpoint responses. Lettuce's
 * exception messages quote {@code RedisURI}s, whose text keeps the user name (and masks only the
 * password).
 */
final class Redaction {

	private static final Pattern USER_INFO = Pattern
		.compile("(?i)(rediss?(?:-sentinel|-socket)?(?:\\+\\w+)?://)[^@/\\s\\]\\[,]*@");

	private Redaction() {
	}

	static @Nullable String redact(@Nullable String text) {
		return (text != null) ? USER_INFO.matcher(text).replaceAll("$1") : null;
	}

	/**
	 * Describes a failure by its class and message and, when it wraps others, those of its
	 * root cause, which says what went wrong where Lettuce's own message only says what failed.
	 */
	static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String text = failure.getClass().getSimpleName() + ": " + redact(failure.getMessage());
		if (root == failure) {
			return text;
		}
		return text + " (caused by " + root.getClass().getSimpleName() + ": " + redact(root.getMessage()) + ")";
	}

}
