package io.github.redisresilience.autoconfigure.actuate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.internal.HostAndPort;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

import io.github.redisresilience.autoconfigure.client.OwnClusterConnection;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.suspect.NodeProbeAnsweredEvent;
import io.github.redisresilience.autoconfigure.suspect.NodeProbeTimedOutEvent;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * Probes every node of the client's topology view, in parallel and within a bounded time: a PING
 * over the client's own way of reaching the node (remap rules, DNS resolver, credentials, TLS),
 * and a JDK lookup of the dialled host name to show which IPs it stands for.
 * <p>
 * The PINGs go over one cluster connection of its own, kept open between probes, so that a probe
 * opens no new connections while the cluster is healthy: every connection closed would be a
 * Lettuce connection event, which the topology watcher reads as trouble.
 */
final class ClusterProbe implements SmartLifecycle, DisposableBean {

	private final TopologyWatcher watcher;

	private final AddressRemapper remapper;

	private final Duration timeout;

	private final Clock clock;

	/** JDK lookups cannot be bounded otherwise; daemon threads, so a hung lookup never holds up shutdown. */
	private final ExecutorService lookups = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "redis-resilience-probe-dns");
		thread.setDaemon(true);
		return thread;
	});

	/** A failed connect is retried by the next probe. */
	private final OwnClusterConnection connection = new OwnClusterConnection();

	private final ApplicationEventPublisher events;

	private volatile @Nullable ClusterSnapshot lastSnapshot;

	private volatile boolean running;

	/**
	 * @param events where the probe tells what each master's PING came to
	 * ({@link NodeProbeTimedOutEvent}, {@link NodeProbeAnsweredEvent}), for the suspect watch
	 */
	ClusterProbe(TopologyWatcher watcher, AddressRemapper remapper, Duration timeout, Clock clock,
			ApplicationEventPublisher events) {
		this.watcher = watcher;
		this.remapper = remapper;
		this.timeout = timeout;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Probes the cluster now; returns within the probe timeout, whatever the nodes do.
	 * @return what the probe found, also kept as the {@link #lastSnapshot()}
	 */
	ClusterSnapshot probe() {
		Instant takenAt = this.clock.instant();
		RedisClusterClient client = this.watcher.clusterClient();
		if (client == null) {
			return remember(ClusterSnapshot.withoutClient(takenAt));
		}
		// Before the layout is read: a PING to an address the view has left since is not the
		// node's fault (see SuspectWatch#onProbeTimedOut).
		long sentNanos = System.nanoTime();
		long deadline = sentNanos + this.timeout.toNanos();
		List<NodeLayout> nodes;
		try {
			// Loads the topology first if the client never did, bounded by Lettuce's connect timeout.
			nodes = NodeLayout.of(client.getPartitions());
		}
		catch (RuntimeException ex) {
			return remember(ClusterSnapshot.withoutTopology(takenAt, ex));
		}
		CompletableFuture<StatefulRedisClusterConnection<String, String>> connection = this.connection.of(client);
		List<PendingProbe> pending = nodes.stream().map((node) -> start(node, connection)).toList();
		List<NodeProbe> probes = new ArrayList<>(pending.size());
		for (PendingProbe probe : pending) {
			probes.add(probe.await(deadline, this.timeout));
		}
		reportSuspects(probes, sentNanos);
		return remember(new ClusterSnapshot(takenAt, List.copyOf(probes), remapWarnings(nodes), true, null));
	}

	/**
	 * Tells which masters timed out and which nodes answered; the suspect watch decides what that
	 * makes them (it ignores nodes it does not list as masters the cluster has not failed). The
	 * probe itself changes nothing.
	 */
	private void reportSuspects(List<NodeProbe> probes, long sentNanos) {
		for (NodeProbe probe : probes) {
			if (probe.reachable()) {
				this.events.publishEvent(new NodeProbeAnsweredEvent(probe.node().id()));
			}
			else if (probe.timedOut() && probe.node().master()) {
				this.events.publishEvent(new NodeProbeTimedOutEvent(probe.node().id(),
						"the health probe's PING got " + probe.error(), sentNanos));
			}
		}
	}

	/**
	 * The result of the last probe, for metrics that must not probe on each scrape.
	 * @return the last snapshot, if a probe ran
	 */
	Optional<ClusterSnapshot> lastSnapshot() {
		return Optional.ofNullable(this.lastSnapshot);
	}

	private ClusterSnapshot remember(ClusterSnapshot snapshot) {
		this.lastSnapshot = snapshot;
		return snapshot;
	}

	private PendingProbe start(NodeLayout node,
			CompletableFuture<StatefulRedisClusterConnection<String, String>> connection) {
		HostAndPort dialled = dialled(node);
		long started = System.nanoTime();
		AtomicLong nodeStarted = new AtomicLong();
		CompletableFuture<Duration> ping = connection.thenCompose((cluster) -> {
			nodeStarted.set(System.nanoTime());
			return cluster.getConnectionAsync(node.id());
		})
			.thenCompose((nodeConnection) -> nodeConnection.async().ping().toCompletableFuture())
			.thenApply((pong) -> Duration.ofNanos(System.nanoTime() - started));
		return new PendingProbe(node, dialled.getHostText() + ":" + dialled.getPort(), ping,
				resolve(dialled.getHostText()), nodeStarted);
	}

	private HostAndPort dialled(NodeLayout node) {
		try {
			return this.remapper.map(node.address());
		}
		catch (RuntimeException ex) {
			// A rule that renders an invalid address for this node: Lettuce dials it as announced.
			return node.address();
		}
	}

	private CompletableFuture<List<String>> resolve(String host) {
		if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
			return CompletableFuture.completedFuture(List.of(host));
		}
		return CompletableFuture.supplyAsync(() -> lookUp(host), this.lookups);
	}

	private static List<String> lookUp(String host) {
		try {
			return Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress).toList();
		}
		catch (UnknownHostException ex) {
			return List.of();
		}
	}

	private List<String> remapWarnings(List<NodeLayout> nodes) {
		List<HostAndPort> announced = nodes.stream().map(NodeLayout::address).toList();
		Map<HostAndPort, Set<HostAndPort>> folds;
		try {
			folds = this.remapper.findFolds(announced);
		}
		catch (RuntimeException ex) {
			return List.of("Remap rules cannot map every announced address: " + Redaction.redact(ex.getMessage()));
		}
		List<String> warnings = new ArrayList<>();
		folds.forEach((target, sources) -> warnings.add(describe(sources) + " are all dialled at " + target
				+ ": each node's connection lands on an arbitrary node"));
		return warnings;
	}

	private static String describe(Collection<HostAndPort> addresses) {
		return addresses.stream().map(HostAndPort::toString).collect(Collectors.joining(", "));
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Closes the probe's connection before Boot's connection factory stops (phase 0) and shuts
	 * the client down: a client that closes the same node connections as a closing connection
	 * warns "Connection is already closed" for each of them.
	 */
	@Override
	public void stop() {
		this.running = false;
		closeConnection();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return 1;
	}

	@Override
	public void destroy() {
		closeConnection();
		this.lookups.shutdownNow();
	}

	private void closeConnection() {
		// A connection that never opened or does not close in time is the client's to end.
		this.connection.closeNow(this.timeout);
	}

	/**
	 * @param nodeStarted when the probe's cluster connection was ready and the node itself was
	 * asked ({@code System.nanoTime()}), 0 until then
	 */
	private record PendingProbe(NodeLayout node, String dialled, CompletableFuture<Duration> ping,
			CompletableFuture<List<String>> lookup, AtomicLong nodeStarted) {

		NodeProbe await(long deadline, Duration timeout) {
			List<String> ips = awaitLookup(deadline);
			try {
				Duration latency = this.ping.get(remaining(deadline), TimeUnit.NANOSECONDS);
				return new NodeProbe(this.node, this.dialled, ips, true, latency, null, false);
			}
			catch (TimeoutException ex) {
				return new NodeProbe(this.node, this.dialled, ips, false, null,
						"no answer within " + timeout.toMillis() + "ms", hadTimeToAnswer(deadline, timeout));
			}
			catch (ExecutionException | CompletionException ex) {
				Throwable cause = ex.getCause();
				return new NodeProbe(this.node, this.dialled, ips, false, null, describe(cause),
						cause instanceof RedisCommandTimeoutException);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return unreachable(ips, "probe interrupted");
			}
		}

		/**
		 * A timeout counts against the node only if the node itself had at least half the probe
		 * timeout to answer: while the probe's own cluster connection is still being opened (its
		 * first node may be the frozen one), every node would seem to time out.
		 */
		private boolean hadTimeToAnswer(long deadline, Duration timeout) {
			long asked = this.nodeStarted.get();
			return asked != 0 && deadline - asked >= timeout.toNanos() / 2;
		}

		private List<String> awaitLookup(long deadline) {
			try {
				return this.lookup.get(remaining(deadline), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException | ExecutionException ex) {
				return List.of();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return List.of();
			}
		}

		private NodeProbe unreachable(List<String> ips, String error) {
			return new NodeProbe(this.node, this.dialled, ips, false, null, error, false);
		}

		private static long remaining(long deadline) {
			return Math.max(0, deadline - System.nanoTime());
		}

		private static String describe(@Nullable Throwable failure) {
			if (failure == null) {
				return "unknown failure";
			}
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			return Redaction.describe(cause);
		}

	}

}
