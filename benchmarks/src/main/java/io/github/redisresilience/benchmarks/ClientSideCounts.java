package io.github.redisresilience.benchmarks;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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
		}
		else if (type.equals("CLUSTER") && isTopologyRead(command.getArgs())) {
			this.reads.incrementAndGet(second);
		}
	}

	@Override
	public void recordCommandLatency(SocketAddress local, SocketAddress remote, ProtocolKeyword commandType,
			long firstResponseLatency, long completionLatency) {
		// Lettuce calls the variant with the command, whose arguments tell CLUSTER NODES from CLUSTER INFO.
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
