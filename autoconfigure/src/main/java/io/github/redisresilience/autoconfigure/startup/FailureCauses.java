package io.github.redisresilience.autoconfigure.startup;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Searches a failure's causes and suppressed exceptions, which Lettuce and Netty use to carry
 * one failure per node or seed, for the first that tells what went wrong. Shared by the
 * starter's startup checks; not meant for applications.
 */
final class FailureCauses {

	private FailureCauses() {
	}

	/**
	 * The first answer found, depth first: the failure itself, its cause chain, then each
	 * suppressed exception; every exception is looked at once, even in a cyclic graph.
	 * @param <T> what the search finds
	 * @param failure the failure, may be {@code null}
	 * @param finder the answer for one exception, or {@code null} to look further
	 * @return the first answer, or {@code null}
	 */
	public static <T> @Nullable T find(@Nullable Throwable failure, Function<Throwable, @Nullable T> finder) {
		return find(failure, finder, new IdentityHashMap<>());
	}

	private static <T> @Nullable T find(@Nullable Throwable failure, Function<Throwable, @Nullable T> finder,
			Map<Throwable, Boolean> seen) {
		if (failure == null || seen.put(failure, Boolean.TRUE) != null) {
			return null;
		}
		T found = finder.apply(failure);
		if (found == null) {
			found = find(failure.getCause(), finder, seen);
		}
		for (Throwable suppressed : failure.getSuppressed()) {
			found = (found != null) ? found : find(suppressed, finder, seen);
		}
		return found;
	}

}
