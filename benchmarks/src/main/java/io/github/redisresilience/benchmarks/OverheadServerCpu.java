package io.github.redisresilience.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;

import io.github.redisresilience.test.RedisPod;

/**
 * The CPU time every redis-server of the overhead suite's cluster has used so far, masters and
 * replicas together: {@code used_cpu_sys + used_cpu_user} from {@code INFO cpu}, in seconds.
 * <p>
 * Read just before a round's measured window opens and right after it closes, over a short-lived
 * plain connection to each node: the connect, the {@code INFO} and the close cost each server some
 * tens of microseconds, against seconds of CPU a round spends, and nothing is left open that the
 * clients' rounds would share. The counters are the server process's own (event loop, I/O and
 * background threads); a child's ({@code used_cpu_*_children}: an append-only file rewrite) is
 * left out, as it falls into whichever round it happens to overlap.
 */
final class OverheadServerCpu {

	/** No name, no library info: the connect sends nothing but the {@code INFO} itself. */
	private static final JedisClientConfig CONFIG = DefaultJedisClientConfig.builder()
		.connectionTimeoutMillis(1000)
		.socketTimeoutMillis(1000)
		.clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
		.build();

	private final List<HostAndPort> nodes;

	private OverheadServerCpu(List<HostAndPort> nodes) {
		this.nodes = nodes;
	}

	/** Every pod of the cluster at its current address (the overhead suite moves none). */
	static OverheadServerCpu of(List<RedisPod> pods) {
		return new OverheadServerCpu(pods.stream()
			.map((pod) -> new HostAndPort(pod.address().getHostString(), pod.address().getPort()))
			.toList());
	}

	/** From {@link #encode()}: how a session's JVM gets the nodes, on its command line. */
	static OverheadServerCpu decode(String nodes) {
		return new OverheadServerCpu(Arrays.stream(nodes.split(","))
			.filter((node) -> !node.isBlank())
			.map((node) -> HostAndPort.from(node.strip()))
			.toList());
	}

	/** Comma-separated {@code host:port} of every node. */
	String encode() {
		return this.nodes.stream().map(HostAndPort::toString).collect(Collectors.joining(","));
	}

	/**
	 * The CPU all nodes used so far.
	 * @return seconds, or NaN if a node could not be read (no difference across a round is then
	 * worth anything)
	 */
	double seconds() {
		if (this.nodes.isEmpty()) {
			return Double.NaN;
		}
		double seconds = 0;
		for (HostAndPort node : this.nodes) {
			try (Jedis jedis = new Jedis(node, CONFIG)) {
				Object reply = jedis.sendCommand(Protocol.Command.INFO, "cpu");
				seconds += parse(new String((byte[]) reply, StandardCharsets.UTF_8));
			}
			catch (RuntimeException ex) {
				System.out.println("[overhead] could not read INFO cpu from " + node + ": " + ex);
				return Double.NaN;
			}
		}
		return seconds;
	}

	/** {@code used_cpu_sys} plus {@code used_cpu_user}, the process's own; NaN if either is missing. */
	static double parse(String info) {
		double sys = Double.NaN;
		double user = Double.NaN;
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon < 0) {
				continue;
			}
			String name = line.substring(0, colon);
			if (name.equals("used_cpu_sys")) {
				sys = Double.parseDouble(line.substring(colon + 1).strip());
			}
			else if (name.equals("used_cpu_user")) {
				user = Double.parseDouble(line.substring(colon + 1).strip());
			}
		}
		return sys + user;
	}

	@Override
	public String toString() {
		return this.nodes.size() + " nodes";
	}

}
