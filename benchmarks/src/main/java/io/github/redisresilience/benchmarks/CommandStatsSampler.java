package io.github.redisresilience.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;

import io.github.redisresilience.test.RedisPod;

/**
 * Reads {@code INFO server stats commandstats} from every node once a second and keeps, per
 * second, how many calls of each command and how many new connections the cluster received.
 * <p>
 * A pod that moves restarts its process, which starts its counters at zero: a new {@code run_id}
 * says so, and the counts since the restart are taken whole. A node that could not be read for a
 * while (stopped during a move) has the calls it made in the meantime spread evenly over the
 * seconds it was not read, so a peak never comes from a sampling gap. The sampler's own
 * {@code INFO} calls and connections are subtracted; the kit's (it polls {@code CLUSTER NODES}
 * while it heals the cluster) are not, and are measured on their own with no clients.
 * <p>
 * It reads each pod's address afresh every second (without the cluster's lock, which a chaos
 * operation holds for seconds), so it follows the pods to their new addresses.
 */
final class CommandStatsSampler implements AutoCloseable {

	/** No name, no library info: a connect sends nothing but the connect itself, which is subtracted. */
	private static JedisClientConfig config(@Nullable SSLSocketFactory tls) {
		DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
			.connectionTimeoutMillis(300)
			.socketTimeoutMillis(700)
			.clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
		if (tls != null) {
			// Trusts the cluster's CA; it dials the pods' IPs, which the certificate does not name, and
			// only measures: no host name verification for the sampler itself.
			builder.ssl(true).sslSocketFactory(tls);
		}
		return builder.build();
	}

	/** Bounds the loop: far longer than any run. */
	private static final int MAX_SECONDS = 3600;

	private final List<RedisPod> pods;

	private final Instant origin;

	private final JedisClientConfig config;

	private final Map<Integer, Map<String, Double>> seconds = new TreeMap<>();

	private final Map<RedisPod, NodeState> states = new HashMap<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final Thread thread;

	private CommandStatsSampler(List<RedisPod> pods, Instant origin, @Nullable SSLSocketFactory tls) {
		this.pods = pods;
		this.origin = origin;
		this.config = config(tls);
		this.thread = new Thread(this::loop, "command-stats-sampler");
		this.thread.setDaemon(true);
	}

	/**
	 * Starts sampling.
	 * @param pods every pod of the cluster
	 * @param origin second 0 of the series
	 */
	static CommandStatsSampler start(List<RedisPod> pods, Instant origin) {
		return start(pods, origin, null);
	}

	/**
	 * Starts sampling a cluster, over TLS if it speaks TLS only.
	 * @param pods every pod of the cluster
	 * @param origin second 0 of the series
	 * @param tls trusts the cluster's CA, {@code null} for a plain cluster
	 */
	static CommandStatsSampler start(List<RedisPod> pods, Instant origin, @Nullable SSLSocketFactory tls) {
		CommandStatsSampler sampler = new CommandStatsSampler(pods, origin, tls);
		sampler.thread.start();
		return sampler;
	}

	/** The second, counted from the origin, an instant falls in. */
	int secondOf(Instant instant) {
		return (int) Math.floorDiv(Duration.between(this.origin, instant).toMillis(), 1000L);
	}

	private void loop() {
		for (int second = secondOf(Instant.now()) + 1; second < MAX_SECONDS && this.running.get(); second++) {
			long due = this.origin.toEpochMilli() + second * 1000L;
			long wait = due - System.currentTimeMillis();
			if (wait > 0) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
			}
			else if (wait < -1000) {
				// Sampling took longer than a second: pick up at the current one.
				second = secondOf(Instant.now());
			}
			if (!this.running.get()) {
				return;
			}
			for (RedisPod pod : this.pods) {
				sample(pod, second);
			}
		}
	}

	private void sample(RedisPod pod, int second) {
		NodeState state = this.states.computeIfAbsent(pod, (p) -> new NodeState(this.config));
		String reply = state.read(pod);
		if (reply == null) {
			return;
		}
		Map<String, Long> counters = parse(reply);
		String runId = String.valueOf(parseInfo(reply).get("run_id"));
		long uptime = Long.parseLong(parseInfo(reply).getOrDefault("uptime_in_seconds", "0"));
		if (state.counters != null) {
			boolean restarted = !runId.equals(state.runId);
			int span = Math.max(1, second - state.second);
			if (restarted) {
				span = (int) Math.max(1, Math.min(span, uptime + 1));
			}
			Map<String, Long> previous = restarted ? Map.of() : state.counters;
			for (Map.Entry<String, Long> counter : counters.entrySet()) {
				long delta = counter.getValue() - previous.getOrDefault(counter.getKey(), 0L);
				if (counter.getKey().equals("info")) {
					delta -= state.infoCalls(restarted);
				}
				if (counter.getKey().equals(CONNECTIONS)) {
					delta -= state.connects(restarted);
				}
				if (delta > 0) {
					spread(counter.getKey(), delta, second, span);
				}
			}
		}
		state.seen(runId, counters, second);
	}

	private synchronized void spread(String counter, long delta, int second, int span) {
		for (int s = second - span + 1; s <= second; s++) {
			this.seconds.computeIfAbsent(s, (k) -> new HashMap<>()).merge(counter, (double) delta / span, Double::sum);
		}
	}

	/** The key under which new connections are counted, next to the commands. */
	static final String CONNECTIONS = "(connections)";

	/** Per second from the origin: calls per command ({@code cluster|nodes}, ...) and {@link #CONNECTIONS}. */
	synchronized Map<Integer, Map<String, Double>> seconds() {
		Map<Integer, Map<String, Double>> copy = new TreeMap<>();
		this.seconds.forEach((second, counts) -> copy.put(second, Map.copyOf(counts)));
		return copy;
	}

	private static Map<String, Long> parse(String info) {
		Map<String, Long> counters = new HashMap<>();
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("cmdstat_")) {
				String name = line.substring("cmdstat_".length(), line.indexOf(':'));
				int calls = line.indexOf("calls=") + "calls=".length();
				int end = line.indexOf(',', calls);
				counters.put(name, Long.parseLong(line.substring(calls, (end < 0) ? line.length() : end)));
			}
			else if (line.startsWith("total_connections_received:")) {
				counters.put(CONNECTIONS, Long.parseLong(line.substring(line.indexOf(':') + 1).strip()));
			}
		}
		return counters;
	}

	private static Map<String, String> parseInfo(String info) {
		Map<String, String> fields = new HashMap<>();
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && (line.startsWith("run_id") || line.startsWith("uptime_in_seconds"))) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
			}
		}
		return fields;
	}

	@Override
	public void close() {
		this.running.set(false);
		this.thread.interrupt();
		try {
			this.thread.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.states.values().forEach(NodeState::disconnect);
	}

	/** One node as last read: its process, counters and the sampler's own connection to it. */
	private static final class NodeState {

		private final JedisClientConfig config;

		private @Nullable Jedis jedis;

		private @Nullable HostAndPort dialled;

		private @Nullable String runId;

		private @Nullable Map<String, Long> counters;

		private int second;

		/** The sampler's own connects and INFO calls since the last sample taken in. */
		private int connects;

		private int infoCalls;

		NodeState(JedisClientConfig config) {
			this.config = config;
		}

		@Nullable String read(RedisPod pod) {
			HostAndPort address = new HostAndPort(pod.address().getHostString(), pod.address().getPort());
			if (this.jedis != null && !address.equals(this.dialled)) {
				disconnect();
			}
			try {
				if (this.jedis == null) {
					this.dialled = address;
					this.jedis = new Jedis(address, this.config);
					this.jedis.connect();
					this.connects++;
				}
				this.infoCalls++;
				Object reply = this.jedis.sendCommand(Protocol.Command.INFO, "server", "stats", "commandstats");
				return new String((byte[]) reply, StandardCharsets.UTF_8);
			}
			catch (RuntimeException ex) {
				// Stopped, moving or not yet started: read it again next second.
				disconnect();
				return null;
			}
		}

		/** The sampler's connects counted in the counters just read (after a restart, only the last one). */
		int connects(boolean restarted) {
			return restarted ? 1 : this.connects;
		}

		/** Redis counts a command once it has run: the INFO just answered is not in its own reply yet. */
		int infoCalls(boolean restarted) {
			return restarted ? 0 : this.infoCalls - 1;
		}

		void seen(String runId, Map<String, Long> counters, int second) {
			this.runId = runId;
			this.counters = counters;
			this.second = second;
			this.connects = 0;
			// The INFO just answered counts in the next reply.
			this.infoCalls = 1;
		}

		void disconnect() {
			Jedis current = this.jedis;
			this.jedis = null;
			if (current != null) {
				try {
					current.close();
				}
				catch (RuntimeException ex) {
					// Closing a connection to a stopped node: nothing left to release.
				}
			}
		}

	}

}
