package io.github.redisresilience.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.redisresilience.benchmarks.ClientKind.RunningClient;

/**
 * Many application clients of one kind in this JVM, each with a light workload of its own (a
 * unique write read back at a fixed pace), counted per second as the sampler counts.
 */
final class ClientFleet implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ClientFleet.class);

	/** Bounds the per-second counts, and so every loop: far longer than any run. */
	private static final int MAX_SECONDS = 3600;

	private final ClientKind kind;

	private final List<RunningClient> clients;

	private final Duration startedIn;

	private final int failedToStart;

	private final List<Member> members = new ArrayList<>();

	private final Map<String, String> ledger = new ConcurrentHashMap<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private ClientFleet(ClientKind kind, List<RunningClient> clients, Duration startedIn, int failedToStart) {
		this.kind = kind;
		this.clients = clients;
		this.startedIn = startedIn;
		this.failedToStart = failedToStart;
	}

	/** Starts {@code size} clients of a kind, one after the other; one that fails is counted, not fatal. */
	static ClientFleet start(ClientKind kind, int size, String seeds) {
		return start(kind, size, seeds, null);
	}

	/** Starts {@code size} clients of a kind, over TLS if {@code tls} is given. */
	static ClientFleet start(ClientKind kind, int size, String seeds, @Nullable ClusterTls tls) {
		return start(kind, size, seeds, tls, false);
	}

	/**
	 * Starts {@code size} clients of a kind, over TLS if {@code tls} is given, Lettuce clients
	 * counting their own commands if {@code countCommands} ({@link #clientCounts(int)}).
	 */
	static ClientFleet start(ClientKind kind, int size, String seeds, @Nullable ClusterTls tls, boolean countCommands) {
		Instant began = Instant.now();
		List<RunningClient> clients = new ArrayList<>();
		int failed = 0;
		for (int i = 0; i < size; i++) {
			try {
				clients.add(kind.start(seeds, tls, countCommands));
			}
			catch (RuntimeException ex) {
				logger.warn("{} client {} could not start", kind, i, ex);
				failed++;
			}
		}
		return new ClientFleet(kind, clients, Duration.between(began, Instant.now()), failed);
	}

	/**
	 * Starts each client's workload.
	 * @param rate operations (a write and its read) per second per client
	 * @param seconds tells which second an operation started in
	 */
	void startWorkloads(int rate, CommandStatsSampler seconds) {
		long pace = 1_000_000_000L / rate;
		for (RunningClient client : this.clients) {
			if (client.counts() != null) {
				client.counts().countFrom(seconds);
			}
		}
		for (int i = 0; i < this.clients.size(); i++) {
			Member member = new Member(i, this.clients.get(i));
			this.members.add(member);
			Thread thread = new Thread(() -> member.run(pace, seconds), "fleet-" + this.kind + "-" + i);
			thread.setDaemon(true);
			member.thread = thread;
			thread.start();
		}
	}

	ClientKind kind() {
		return this.kind;
	}

	int size() {
		return this.clients.size();
	}

	int failedToStart() {
		return this.failedToStart;
	}

	Duration startedIn() {
		return this.startedIn;
	}

	Map<String, String> ledger() {
		return Map.copyOf(this.ledger);
	}

	/** Operations per second over all clients: {@code [0]} succeeded, {@code [1]} failed. */
	int[] operations(int second) {
		int ok = 0;
		int failed = 0;
		for (Member member : this.members) {
			ok += member.ok.get(clamp(second));
			failed += member.failed.get(clamp(second));
		}
		return new int[] { ok, failed };
	}

	/** Whether every client counts its own commands ({@link ClientSideCounts}). */
	boolean countsClientSide() {
		return !this.clients.isEmpty() && this.clients.stream().allMatch((client) -> client.counts() != null);
	}

	/** The clients' own counts in one second, summed over the fleet; empty where they keep none. */
	Map<String, Double> clientCounts(int second) {
		Map<String, Double> sums = new HashMap<>();
		for (RunningClient client : this.clients) {
			if (client.counts() != null) {
				client.counts().second(second).forEach((name, count) -> sums.merge(name, count, Double::sum));
			}
		}
		return sums;
	}

	/** What the clients' new connections carried from a second on, per client ({@link ClientSideCounts}). */
	ClientSideCounts.NewConnections newConnections(int from, int healed) {
		ClientSideCounts.NewConnections sum = ClientSideCounts.NewConnections.NONE;
		int counted = 0;
		for (RunningClient client : this.clients) {
			if (client.counts() != null) {
				sum = sum.plus(client.counts().newConnections(from, healed));
				counted++;
			}
		}
		return sum.dividedBy(counted);
	}

	/** The first client's connections opened from a second on ({@link ClientSideCounts#describeConnections}). */
	List<String> firstClientConnections(int from) {
		return this.clients.stream()
			.filter((client) -> client.counts() != null)
			.findFirst()
			.map((client) -> client.counts().describeConnections(from))
			.orElse(List.of());
	}

	/** Whether every client has had a second from {@code from} on in which all its operations succeeded. */
	boolean allHadGoodSecondSince(int from, int before) {
		return this.members.stream().allMatch((member) -> member.firstGoodSecond(from, before).isPresent());
	}

	/**
	 * Per client, the first second from {@code from} (before {@code before}) in which it ran
	 * operations and all succeeded; empty for a client that had none.
	 */
	List<OptionalInt> firstGoodSeconds(int from, int before) {
		return this.members.stream().map((member) -> member.firstGoodSecond(from, before)).toList();
	}

	/** How many clients ran operations and had no failure in each of the seconds {@code [from, before)}. */
	long healthyThroughout(int from, int before) {
		return this.members.stream().filter((member) -> member.goodThroughout(from, before)).count();
	}

	void stopWorkloads() throws InterruptedException {
		this.running.set(false);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		for (Member member : this.members) {
			long left = deadline - System.nanoTime();
			Thread thread = member.thread;
			if (left > 0 && thread != null) {
				thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
			}
		}
	}

	/** Closes the clients a few at a time; ones stuck in shutdown are left behind after a minute. */
	@Override
	public void close() {
		this.running.set(false);
		ExecutorService closing = Executors.newFixedThreadPool(4);
		for (RunningClient client : this.clients) {
			closing.execute(() -> {
				try {
					client.closer().close();
				}
				catch (Exception ex) {
					logger.warn("{} did not close cleanly", client.kind(), ex);
				}
			});
		}
		closing.shutdown();
		try {
			if (!closing.awaitTermination(60, TimeUnit.SECONDS)) {
				logger.warn("{} clients still closing after 60 s; going on", this.kind);
				closing.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			closing.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	private static int clamp(int second) {
		return Math.max(0, Math.min(MAX_SECONDS - 1, second));
	}

	/** One client and its workload. */
	private final class Member {

		private final int index;

		private final RunningClient client;

		private final AtomicIntegerArray ok = new AtomicIntegerArray(MAX_SECONDS);

		private final AtomicIntegerArray failed = new AtomicIntegerArray(MAX_SECONDS);

		private volatile @Nullable Thread thread;

		Member(int index, RunningClient client) {
			this.index = index;
			this.client = client;
		}

		void run(long pace, CommandStatsSampler seconds) {
			String run = Long.toString(System.nanoTime(), 36);
			long next = System.nanoTime();
			for (int seq = 0; seq < MAX_SECONDS * 1000 && ClientFleet.this.running.get(); seq++) {
				int second = clamp(seconds.secondOf(Instant.now()));
				String key = "scale:" + ClientFleet.this.kind + ":{" + run + "-" + this.index + "-" + seq + "}";
				String value = "v" + seq;
				boolean succeeded;
				try {
					this.client.operations().write(key, value);
					ClientFleet.this.ledger.put(key, value);
					succeeded = value.equals(this.client.operations().read(key));
				}
				catch (RuntimeException ex) {
					succeeded = false;
				}
				(succeeded ? this.ok : this.failed).incrementAndGet(second);
				next += pace;
				long wait = next - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				else {
					next = System.nanoTime();
				}
			}
		}

		OptionalInt firstGoodSecond(int from, int before) {
			for (int s = clamp(from); s < clamp(before); s++) {
				if (this.ok.get(s) > 0 && this.failed.get(s) == 0) {
					return OptionalInt.of(s);
				}
			}
			return OptionalInt.empty();
		}

		boolean goodThroughout(int from, int before) {
			for (int s = clamp(from); s < clamp(before); s++) {
				if (this.ok.get(s) == 0 || this.failed.get(s) > 0) {
					return false;
				}
			}
			return true;
		}

	}

}
