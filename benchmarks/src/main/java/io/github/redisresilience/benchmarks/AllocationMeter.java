package io.github.redisresilience.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Bytes the JVM's threads allocated, exactly, as HotSpot counts them per thread: where a
 * difference in CPU per command comes from when profilers cannot tell (GC threads are not sampled
 * with the application's, and allocation profiles are sampled).
 * <p>
 * A snapshot holds every live thread's count; the difference of two snapshots sums the threads
 * alive at both (a thread that ended in between is counted by whoever ran it, see
 * {@link #currentThread()}).
 */
final class AllocationMeter {

	private static final com.sun.management.@Nullable ThreadMXBean THREADS = threads();

	private AllocationMeter() {
	}

	private static com.sun.management.@Nullable ThreadMXBean threads() {
		if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
				&& threads.isThreadAllocatedMemorySupported()) {
			threads.setThreadAllocatedMemoryEnabled(true);
			return threads;
		}
		return null;
	}

	/** Whether this JVM counts allocations per thread. */
	static boolean isSupported() {
		return THREADS != null;
	}

	/** Bytes the calling thread allocated so far, -1 where the JVM does not tell. */
	static long currentThread() {
		com.sun.management.ThreadMXBean threads = THREADS;
		return (threads != null) ? threads.getCurrentThreadAllocatedBytes() : -1;
	}

	/** Every live thread's allocated bytes so far, by thread id; empty where the JVM does not tell. */
	static Map<Long, Long> snapshot() {
		Map<Long, Long> bytes = new HashMap<>();
		com.sun.management.ThreadMXBean threads = THREADS;
		if (threads == null) {
			return bytes;
		}
		long[] ids = threads.getAllThreadIds();
		long[] allocated = threads.getThreadAllocatedBytes(ids);
		for (int i = 0; i < ids.length; i++) {
			if (allocated[i] >= 0) {
				bytes.put(ids[i], allocated[i]);
			}
		}
		return bytes;
	}

	/**
	 * Bytes allocated between two snapshots by the threads alive at both.
	 * @param before the earlier snapshot
	 * @param after the later one
	 * @return the bytes, -1 where the JVM does not tell
	 */
	static long between(Map<Long, Long> before, Map<Long, Long> after) {
		if (!isSupported()) {
			return -1;
		}
		long sum = 0;
		for (Map.Entry<Long, Long> thread : after.entrySet()) {
			Long earlier = before.get(thread.getKey());
			if (earlier != null) {
				sum += thread.getValue() - earlier;
			}
		}
		return sum;
	}

}
