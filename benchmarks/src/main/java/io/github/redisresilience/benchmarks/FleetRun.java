package io.github.redisresilience.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.benchmarks.ScaleBenchmark.ScaleRun;

/**
 * One fleet (or the kit alone) through one disruption of one cluster, and what it cost per
 * client per second in each window, net of the kit's own share.
 *
 * @param nodes the cluster's nodes, half of them masters
 * @param tls whether the cluster spoke TLS only
 * @param disruption what was done to it
 * @param kind the fleet's clients, {@code null} for the kit alone
 * @param changedAddresses pods that came back at a new address
 * @param run the per-second counts and the instants, as the scale suite keeps them
 * @param newConnections what the clients' connections opened from the disruption on carried, per
 * client; {@code null} where the clients do not count their own commands
 */
record FleetRun(int nodes, boolean tls, FleetDisruption disruption, @Nullable ClientKind kind, int changedAddresses,
		ScaleRun run, ClientSideCounts.@Nullable NewConnections newConnections) {

	/** Topology reads: {@code CLUSTER NODES}, {@code CLUSTER SLOTS}, {@code CLUSTER SHARDS}. */
	static final List<String> READS = ScaleRun.TOPOLOGY;

	/** New connections ({@code total_connections_received}); on a TLS cluster each is a TLS handshake. */
	static final List<String> CONNECTIONS = List.of(CommandStatsSampler.CONNECTIONS);

	/** Protocol handshakes on a new connection. */
	static final List<String> HANDSHAKES = List.of("hello", "auth");

	/** Topology reads as each Lettuce client counted them itself: exact, none of the kit's among them. */
	static final List<String> CLIENT_READS = List.of(ClientSideCounts.READS);

	/** Handshakes ({@code HELLO}, {@code AUTH}) as each Lettuce client counted them: one per new connection. */
	static final List<String> CLIENT_HANDSHAKES = List.of(ClientSideCounts.HANDSHAKES);

	/** A phase of the run, in whole seconds of the sampler's clock. */
	enum Window {

		/** From the end of the fleet's warm-up to the disruption. */
		STEADY("steady"),

		/** From the disruption to the heal, the heal's second included. */
		DURING("during"),

		/** The 20 s after the heal's second (fewer if the run ended sooner). */
		AFTER("20 s after"),

		/** Everything after the heal's second. */
		REST("after the heal");

		private final String label;

		Window(String label) {
			this.label = label;
		}

		String label() {
			return this.label;
		}

	}

	int size() {
		return this.run.size();
	}

	String label() {
		return this.run.label();
	}

	/** Whether the fleet's clients counted their own commands ({@link ClientSideCounts}). */
	boolean countedClientSide() {
		return size() > 0 && this.run.seconds().values().stream().anyMatch((counts) -> counts.containsKey(ClientSideCounts.READS));
	}

	/** The topology reads to judge the run by: the clients' own counts where they kept them, else the cluster's. */
	List<String> reads() {
		return countedClientSide() ? CLIENT_READS : READS;
	}

	/** The kit's run to take out of {@link #reads()}: none from the clients' own counts. */
	@Nullable FleetRun kitForReads(@Nullable FleetRun kit) {
		return countedClientSide() ? null : kit;
	}

	/** Whether another run measured the same cluster through the same disruption. */
	boolean sameSetup(FleetRun other) {
		return this.nodes == other.nodes && this.tls == other.tls && this.disruption == other.disruption;
	}

	int from(Window window) {
		return switch (window) {
			case STEADY -> this.run.before();
			case DURING -> this.run.disrupted();
			case AFTER, REST -> this.run.healed() + 1;
		};
	}

	int to(Window window) {
		return switch (window) {
			case STEADY -> this.run.disrupted();
			case DURING -> this.run.healed() + 1;
			case AFTER -> Math.min(this.run.end(),
					this.run.healed() + 1 + (int) FleetCostSettings.AFTER_WINDOW.toSeconds());
			case REST -> this.run.end();
		};
	}

	/** Calls (or connections) per second over the whole cluster in a window. */
	double rate(List<String> counters, Window window) {
		int from = from(window);
		int to = to(window);
		return (to <= from) ? 0 : sum(counters, from, to) / (to - from);
	}

	double sum(List<String> counters, int from, int to) {
		double sum = 0;
		for (int s = from; s < to; s++) {
			for (String counter : counters) {
				sum += this.run.count(s, counter);
			}
		}
		return sum;
	}

	/**
	 * The kit's calls of some counters per {@code CLUSTER INFO} it sent in the run with the kit
	 * alone, up to the heal's second ({@code healing}) or after it. The kit's health polls (per
	 * poll a connection and {@code CLUSTER NODES} to every node, then {@code CLUSTER INFO} and
	 * {@code CLUSTER NODES} to each node until one is unhealthy) are all the {@code CLUSTER INFO}
	 * the cluster receives, as no client sends it: so its share of any run, second by second, is
	 * this ratio times the {@code CLUSTER INFO} calls of that run, however long that run's heal
	 * took. Polls that fail at the first node (while healing) carry more reads per {@code CLUSTER
	 * INFO} than the passing ones at the end, hence two ratios.
	 */
	double perKitPoll(List<String> counters, boolean healing) {
		int from = healing ? from(Window.DURING) : from(Window.REST);
		int to = healing ? to(Window.DURING) : to(Window.REST);
		double polls = sum(KIT_POLL, from, to);
		if (polls > 0) {
			return sum(counters, from, to) / polls;
		}
		double all = sum(KIT_POLL, from(Window.DURING), to(Window.REST));
		return (all > 0) ? sum(counters, from(Window.DURING), to(Window.REST)) / all : 0;
	}

	/** What only the kit sends while it heals; clients never do. */
	static final List<String> KIT_POLL = List.of("cluster|info");

	/**
	 * Whether the kit's estimated share of a window is larger than everything counted in it: the
	 * estimate is off there (the kit's polls differ from heal to heal) and the net value, shown
	 * as 0, says nothing.
	 */
	boolean unresolved(List<String> counters, Window window, @Nullable FleetRun kit) {
		if (kit == null || size() == 0) {
			return false;
		}
		int from = from(window);
		int to = to(window);
		return sum(counters, from, to) - kitShare(counters, from, to, kit) < -0.5;
	}

	/** Whether any window from the disruption on is {@link #unresolved}. */
	boolean unresolved(List<String> counters, @Nullable FleetRun kit) {
		return unresolved(counters, Window.DURING, kit) || unresolved(counters, Window.AFTER, kit)
				|| unresolved(counters, Window.REST, kit);
	}

	private double kitShare(List<String> counters, int from, int to, FleetRun kit) {
		int healed = this.run.healed();
		return kit.perKitPoll(counters, true) * sum(KIT_POLL, from, Math.min(to, healed + 1))
				+ kit.perKitPoll(counters, false) * sum(KIT_POLL, Math.max(from, healed + 1), to);
	}

	/** Calls of some counters in seconds {@code [from, to)}, without the kit's share. */
	double net(List<String> counters, int from, int to, @Nullable FleetRun kit) {
		double total = sum(counters, from, to);
		if (kit != null) {
			int healed = this.run.healed();
			total -= kit.perKitPoll(counters, true) * sum(KIT_POLL, from, Math.min(to, healed + 1));
			total -= kit.perKitPoll(counters, false) * sum(KIT_POLL, Math.max(from, healed + 1), to);
		}
		return Math.max(0, total);
	}

	/** Per client per second in a window, without the kit's share (the whole cluster's rate for the kit alone). */
	double perClient(List<String> counters, Window window, @Nullable FleetRun kit) {
		int from = from(window);
		int to = to(window);
		if (to <= from) {
			return Double.NaN;
		}
		if (size() == 0) {
			return rate(counters, window);
		}
		return net(counters, from, to, kit) / (to - from) / size();
	}

	/**
	 * Per client per second while degraded: the higher of the two windows from the disruption to
	 * the heal and the 20 s after it (clients may only catch up once the cluster is back).
	 */
	double degraded(List<String> counters, @Nullable FleetRun kit) {
		double during = perClient(counters, Window.DURING, kit);
		double after = perClient(counters, Window.AFTER, kit);
		return Double.isNaN(after) ? during : Math.max(during, after);
	}

	/** Per client, from the disruption to the end of the run, without the kit's share. */
	double perClientTotal(List<String> counters, @Nullable FleetRun kit) {
		return net(counters, from(Window.DURING), to(Window.REST), kit) / Math.max(1, size());
	}

	/**
	 * Seconds from the heal's second until the topology reads per client are back at the steady
	 * rate for good: the first second from which every 3 s mean (without the kit's share) stays
	 * within the steady rate plus as much again (at least 0.2 reads per client per second); empty
	 * if that never happened before the end of the run.
	 */
	OptionalInt backToSteady(@Nullable FleetRun kit) {
		return backToSteady(READS, kit);
	}

	/** {@link #backToSteady(FleetRun)} of some counters. */
	OptionalInt backToSteady(List<String> reads, @Nullable FleetRun kit) {
		double steady = perClient(reads, Window.STEADY, kit);
		double limit = (Double.isNaN(steady) ? 0 : steady) + Math.max(Double.isNaN(steady) ? 0 : steady, 0.2);
		int healed = this.run.healed();
		int back = -1;
		for (int s = this.run.end() - 3; s >= healed; s--) {
			if (net(reads, s, s + 3, kit) / 3 / Math.max(1, size()) > limit) {
				break;
			}
			back = s;
		}
		return (back < 0) ? OptionalInt.empty() : OptionalInt.of(back - healed);
	}

	/** Operations that failed from the disruption on, over all clients. */
	int failedOperations() {
		int failed = 0;
		for (int s = from(Window.DURING); s < this.run.operations().size(); s++) {
			failed += this.run.operations().get(s)[1];
		}
		return failed;
	}

	long recoveredClients() {
		return this.run.recovered().stream().filter(OptionalInt::isPresent).count();
	}

	String summary() {
		return String.format(Locale.ROOT,
				"%d nodes%s, %s, %d %s: cluster unhealthy %.1f s, %d address(es) changed; whole cluster per s "
						+ "(kit included) topology reads %.1f steady / %.1f during / %.1f after, new connections %.1f / %.1f / %.1f, "
						+ "HELLO+AUTH %.1f / %.1f / %.1f; %d failed operations, %d/%d clients recovered%s",
				this.nodes, this.tls ? " TLS" : "", this.disruption, size(), label(),
				this.run.unhealthyFor().toMillis() / 1000.0, this.changedAddresses, rate(READS, Window.STEADY),
				rate(READS, Window.DURING), rate(READS, Window.AFTER), rate(CONNECTIONS, Window.STEADY),
				rate(CONNECTIONS, Window.DURING), rate(CONNECTIONS, Window.AFTER), rate(HANDSHAKES, Window.STEADY),
				rate(HANDSHAKES, Window.DURING), rate(HANDSHAKES, Window.AFTER), failedOperations(), recoveredClients(),
				size(), (this.run.ledger() != null) ? "; acked writes lost " + this.run.ledger().lost() : "");
	}

}
