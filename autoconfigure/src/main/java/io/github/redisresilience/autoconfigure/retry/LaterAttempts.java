package io.github.redisresilience.autoconfigure.retry;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.netty.util.concurrent.EventExecutorGroup;

/**
 * Schedules a later attempt on Lettuce's event executors, which shut down with the application:
 * a command whose retry cannot be scheduled any more ends with the failure it has, instead of
 * waiting for a retry that never runs.
 */
final class LaterAttempts {

	private LaterAttempts() {
	}

	/**
	 * Schedules a task, unless the executors are shutting down.
	 * @param resources the client's resources
	 * @param task the next attempt
	 * @param delayMillis the delay
	 * @return whether the task will run
	 */
	static boolean schedule(ClientResources resources, Runnable task, long delayMillis) {
		EventExecutorGroup executors = resources.eventExecutorGroup();
		if (executors.isShuttingDown()) {
			return false;
		}
		try {
			executors.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
			return true;
		}
		catch (RejectedExecutionException ex) {
			return false;
		}
	}

}
