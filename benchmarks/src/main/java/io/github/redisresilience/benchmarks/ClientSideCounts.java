package io.github.redisresilience.benchmarks;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import org.jspecify.annotations.Nullable;

/**
 * What one Lettuce client had answered, counted by the client itself, per second of a sampler's
 * clock: its topology reads ({@code CLUSTER NODES}, {@code SLOTS}, {@code SHARDS}) and its
 * connection handshakes ({@code HELLO}, {@code AUTH}: one per new connection). Installed as the
 * client's command latency recorder, which Lettuce calls for every command answered on every
 * connection made with the client's resources: the cluster connection's node connections,
 * Lettuce's refresh connections, and the starter's held and seed reads alike. The cluster's own
 * counts cannot tell a client's reads from the kit's health polls; these need no estimate.
 */
final class ClientSideCounts implements CommandLatencyRecorder {

	/** The counter name of topology reads, beside the cluster's counters of a second. */
	static final String READS = "client|topology";

	/** The counter name of handshakes, beside the cluster's counters of a second. */
	static final String HANDSHAKES = "client|hello";

	/** Bounds the per-second counts: far longer than any run. */
	private static final int MAX_SECONDS = 3600;

	private final AtomicIntegerArray reads = new AtomicIntegerArray(MAX_SECONDS);

	private final AtomicIntegerArray handshakes = new AtomicIntegerArray(MAX_SECONDS);

	/** Every connection that shook hands while counting, by its local address. */
	private final Map<SocketAddress, Connection> connections = new ConcurrentHashMap<>();

	private volatile @Nullable CommandStatsSampler clock;

	/** Counts from now on, in the seconds of this sampler; nothing is counted before (start-up). */
	void countFrom(CommandStatsSampler clock) {
		this.clock = clock;
	}

	/** This client's counts in one second, by counter name. */
	Map<String, Double> second(int second) {
		Map<String, Double> counts = new HashMap<>();
		if (second >= 0 && second < MAX_SECONDS) {
			counts.put(READS, (double) this.reads.get(second));
			counts.put(HANDSHAKES, (double) this.handshakes.get(second));
		}
		return counts;
	}

	@Override
	public void recordCommandLatency(SocketAddress local, SocketAddress remote, RedisCommand<?, ?, ?> command,
			long firstResponseLatency, long completionLatency) {
		CommandStatsSampler clock = this.clock;
		if (clock == null) {
			return;
		}
		int second = clock.secondOf(Instant.now());
		if (second < 0 || second >= MAX_SECONDS) {
			return;
		}
		String type = name(command.getType());
		if (type.equals("HELLO") || type.equals("AUTH")) {
			this.handshakes.incrementAndGet(second);
			this.connections.putIfAbsent(local, new Connection(second, remote));
			return;
		}
		Connection connection = this.connections.get(local);
		if (type.equals("CLUSTER") && isTopologyRead(command.getArgs())) {
			this.reads.incrementAndGet(second);
			if (connection != null) {
				connection.topology = true;
			}
		}
		else if (type.equals("INFO")) {
			// Lettuce's refresh asks every node for its clients beside its view: topology work.
			if (connection != null) {
				connection.topology = true;
			}
		}
		else if (connection != null && !SETUP.contains(type)) {
			connection.data = true;
		}
	}

	/**
	 * What the connections this client opened from a second on carried: the application's
	 * commands, topology reads only (a seed read, a refresh's connection), or nothing past the
	 * handshake.
	 * @param from the first second counted (the disruption's)
	 * @param healed the heal's second: data connections opened up to it are counted apart
	 * @return the counts
	 */
	NewConnections newConnections(int from, int healed) {
		int dataBefore = 0;
		int dataAfter = 0;
		int topologyOnly = 0;
		int setupOnly = 0;
		Set<SocketAddress> dataRemotes = new HashSet<>();
		for (Connection connection : this.connections.values()) {
			if (connection.second < from) {
				continue;
			}
			if (connection.data) {
				dataRemotes.add(connection.remote);
				if (connection.second <= healed) {
					dataBefore++;
				}
				else {
					dataAfter++;
				}
			}
			else if (connection.topology) {
				topologyOnly++;
			}
			else {
				setupOnly++;
			}
		}
		return new NewConnections(dataBefore, dataAfter, dataRemotes.size(), topologyOnly, setupOnly);
	}

	@Override
	public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword commandType,
			long firstResponseLatency, long completionLatency) {
		// Lettuce calls the variant with the command, whose arguments tell CLUSTER NODES from CLUSTER INFO.
	}

	/**
	 * This client's connections opened from a second on, one line each in the order opened: the
	 * second, the address, what it carried; for reading one client's moves by eye.
	 */
	List<String> describeConnections(int from) {
		return this.connections.values()
			.stream()
			.filter((connection) -> connection.second >= from)
			.sorted(Comparator.comparingInt((Connection connection) -> connection.second))
			.map((connection) -> "s" + connection.second + " " + connection.remote + " "
					+ (connection.data ? "data" : connection.topology ? "topology" : "nothing"))
			.toList();
	}

	/** Commands a connection sends before it carries anything of the application's. */
	private static final Set<String> SETUP = Set.of("CLIENT", "PING", "READONLY", "SELECT", "COMMAND", "QUIT");

	/** One connection, from its handshake on. */
	private static final class Connection {

		final int second;

		final SocketAddress remote;

		volatile boolean data;

		volatile boolean topology;

		Connection(int second, SocketAddress remote) {
			this.second = second;
			this.remote = remote;
		}

	}

	/**
	 * New connections by what they carried (counts, or means per client once averaged).
	 *
	 * @param dataUpToHeal carried the application's commands, opened up to the heal's second
	 * @param dataAfterHeal carried the application's commands, opened after the heal's second
	 * @param dataAddresses distinct addresses those data connections went to
	 * @param topologyOnly carried topology reads and nothing of the application's
	 * @param setupOnly carried nothing past the handshake and setup commands
	 */
	record NewConnections(double dataUpToHeal, double dataAfterHeal, double dataAddresses, double topologyOnly,
			double setupOnly) {

		static final NewConnections NONE = new NewConnections(0, 0, 0, 0, 0);

		NewConnections plus(NewConnections other) {
			return new NewConnections(this.dataUpToHeal + other.dataUpToHeal, this.dataAfterHeal + other.dataAfterHeal,
					this.dataAddresses + other.dataAddresses, this.topologyOnly + other.topologyOnly,
					this.setupOnly + other.setupOnly);
		}

		NewConnections dividedBy(int clients) {
			int n = Math.max(1, clients);
			return new NewConnections(this.dataUpToHeal / n, this.dataAfterHeal / n, this.dataAddresses / n,
					this.topologyOnly / n, this.setupOnly / n);
		}

		double total() {
			return this.dataUpToHeal + this.dataAfterHeal + this.topologyOnly + this.setupOnly;
		}

	}

	private static boolean isTopologyRead(@Nullable CommandArgs<?, ?> args) {
		if (args == null) {
			return false;
		}
		String subcommand = args.toCommandString().strip().toUpperCase(Locale.ROOT);
		return subcommand.startsWith("NODES") || subcommand.startsWith("SLOTS") || subcommand.startsWith("SHARDS");
	}

	private static String name(ProtocolKeyword keyword) {
		return new String(keyword.getBytes(), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
	}

}
