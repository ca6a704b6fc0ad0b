package io.github.redisresilience.test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the cluster bus connections of a pod whose cut is about to end.
 * <p>
 * While its packets are dropped, a connection's unsent data waits in the kernel, which goes on
 * retransmitting it after Redis has given the link up and closed it. Once the cut ends, those
 * pings arrive seconds late and the peer takes them as news: a replica that was promoted during
 * the cut is then recorded, by the master it replaced, as that master's replica again, without
 * its slots, and that node will not fail it over later. The cluster bus reconnects at once; the
 * clients' connections are left alone, so that what a client makes of a healed cut stays its own.
 * Needs {@code ss} with {@code -K} (iproute2, root); without it the connections are left as they are.
 */
final class StaleBusConnections {

	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private static final AtomicBoolean warned = new AtomicBoolean();

	private StaleBusConnections() {
	}

	/**
	 * Aborts every TCP connection from or to an address on the cluster bus port, both ends.
	 * @param address the pod's address
	 * @param busPort the cluster bus port every pod listens on
	 */
	static void abort(InetAddress address, int busPort) {
		String ip = address.getHostAddress();
		String port = ":" + busPort;
		List<String> command = List.of("ss", "-K", "-t", "-n", "state", "connected", "(", "src", ip, "or", "dst", ip,
				")", "and", "(", "sport", "=", port, "or", "dport", "=", port, ")");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(15, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				warnOnce("ss -K timed out");
			}
			else if (process.exitValue() != 0) {
				warnOnce("ss -K failed (exit " + process.exitValue() + "): " + output.strip());
			}
			else {
				logger.debug("Aborted the cluster bus connections of {}: {}", ip, output.strip());
			}
		}
		catch (IOException ex) {
			warnOnce("ss is not available (" + ex.getMessage() + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void warnOnce(String reason) {
		if (warned.compareAndSet(false, true)) {
			logger.warn("Could not abort the cluster bus connections of a healed cut: {}. Late retransmissions may "
					+ "then confuse the cluster's view (install iproute2 and run as root)", reason);
		}
	}

}
