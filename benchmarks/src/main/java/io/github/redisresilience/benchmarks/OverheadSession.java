package io.github.redisresilience.benchmarks;

/**
 * One session of the overhead suite in a JVM of its own, which {@link OverheadBenchmark} launches
 * when {@code bench.overhead.sessions} is above one: both clients against the seeds in the first
 * argument, the session's number in the second, the fixed rate in the third (0: choose one from
 * the warm-up), every node's {@code host:port} in the fourth, comma-separated, for the servers'
 * CPU per round. Its rounds go to standard output, one line each, for the parent to read.
 */
public final class OverheadSession {

	private OverheadSession() {
	}

	public static void main(String[] args) throws Exception {
		OverheadSettings settings = OverheadSettings.fromSystemProperties();
		int exit = 0;
		try {
			new OverheadBenchmark(settings, args[0], OverheadServerCpu.decode(args[3]), true)
				.session(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
		}
		catch (Exception ex) {
			// To standard error, which the parent keeps in a log; the exit status tells it the session failed.
			ex.printStackTrace();
			exit = 1;
		}
		System.out.flush();
		// Client threads must not keep the JVM alive.
		System.exit(exit);
	}

}
