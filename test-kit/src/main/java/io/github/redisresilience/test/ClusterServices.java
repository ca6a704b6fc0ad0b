package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's Services as Kubernetes keeps them: which pods are ready (a frozen pod until its
 * readiness delay has passed), and the ways clients reach the ready pods: the names published in
 * the hosts file and by the DNS server, and the ClusterIP service. Everything is published again
 * whenever readiness may have changed.
 */
final class ClusterServices {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private final ClusterNames names;

	private final Pods pods;

	private final @Nullable Duration readinessDelay;

	private final Duration dnsTtl;

	private final Supplier<InetSocketAddress> addresses;

	private volatile @Nullable ClusterIpService clusterIpService;

	/** Takes a frozen pod out of its Services once its readiness delay has passed; daemon, lazy. */
	private @Nullable ScheduledExecutorService readinessTimer;

	private volatile List<InetSocketAddress> readyAddresses = List.of();

	private final Object dnsLock = new Object();

	private boolean dnsClosed;

	/** Started by the first {@link #dnsServer()}; guarded by {@link #dnsLock}. */
	private @Nullable KitDnsServer dnsServer;

	ClusterServices(ClusterNames names, Pods pods, @Nullable Duration readinessDelay, Duration dnsTtl,
			Supplier<InetSocketAddress> addresses) {
		this.names = names;
		this.pods = pods;
		this.readinessDelay = readinessDelay;
		this.dnsTtl = dnsTtl;
		this.addresses = addresses;
	}

	/** Idempotent; called under the cluster's lock. */
	ClusterIpService startClusterIpService() {
		ClusterIpService service = this.clusterIpService;
		if (service == null) {
			try {
				service = ClusterIpService.open(this.addresses.get(), this::readyAddresses);
				this.clusterIpService = service;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the ClusterIP service of " + this.names.cluster(), ex);
			}
			publish();
		}
		return service;
	}

	/** Read by the service's own thread without the cluster's lock, which chaos operations hold for seconds. */
	private List<InetSocketAddress> readyAddresses() {
		return this.readyAddresses;
	}

	InetSocketAddress dnsServer() {
		synchronized (this.dnsLock) {
			if (this.dnsClosed) {
				throw new IllegalStateException(this.names.cluster() + " is closed");
			}
			if (this.dnsServer == null) {
				this.dnsServer = KitDnsServer.start(this.names.cluster(), this.dnsTtl);
				this.dnsServer.publish(publishedNames());
				logger.info("{} serves the names of {}", this.dnsServer, this.names.cluster());
			}
			return this.dnsServer.address();
		}
	}

	/** Publishes the ready pods again once a pod frozen now is no longer ready, if the builder set a delay. */
	void republishAfterReadinessDelay() {
		Duration delay = this.readinessDelay;
		if (delay == null) {
			return;
		}
		if (this.readinessTimer == null) {
			this.readinessTimer = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "redis-cluster-kit-readiness-" + this.names.cluster());
				thread.setDaemon(true);
				return thread;
			});
		}
		// publish reads only volatile state and the pods' copy-on-write list: it runs without the
		// cluster's lock, which a chaos operation may hold for seconds.
		this.readinessTimer.schedule(this::publish, delay.toMillis() + 1, TimeUnit.MILLISECONDS);
	}

	void publish() {
		// The readiness timer publishes too, without the cluster's lock: one publisher at a time, and
		// none once the cluster has removed its names.
		synchronized (this.dnsLock) {
			if (!this.dnsClosed) {
				publishReadyPods();
			}
		}
	}

	private void publishReadyPods() {
		this.readyAddresses = readyPods().stream().map(RedisPod::address).toList();
		// One list for both, so the hosts file and the DNS server never disagree.
		Map<String, List<String>> names = publishedNames();
		if (this.dnsServer != null) {
			this.dnsServer.publish(names);
		}
		if (HostsFile.get().isEnabled()) {
			HostsFile.get().publish(this.names.cluster(), names);
		}
	}

	/** Every name of the cluster with the addresses it resolves to now. */
	private Map<String, List<String>> publishedNames() {
		Map<String, List<String>> names = new LinkedHashMap<>();
		List<String> ready = readyPods().stream().map((pod) -> pod.address().getHostString()).toList();
		names.put(this.names.service(), ready);
		for (RedisPod pod : readyPods()) {
			names.put(pod.hostname(), List.of(pod.address().getHostString()));
			names.put(this.names.podIpName(pod), List.of(pod.address().getHostString()));
		}
		ClusterIpService service = this.clusterIpService;
		if (service != null) {
			names.put(this.names.clusterIpService(), List.of(service.address().getHostString()));
		}
		return names;
	}

	/** Pods behind the services: running ones; a frozen pod stays until its readiness delay has passed. */
	List<RedisPod> readyPods() {
		Duration delay = this.readinessDelay;
		Instant now = Instant.now();
		return this.pods.running()
			.stream()
			.filter((pod) -> delay == null || !pod.isPaused() || now.isBefore(pod.pausedAt().plus(delay)))
			.toList();
	}

	/** The ClusterIP service, the readiness timer, then the names: each on its own. */
	void close() {
		ClusterIpService service = this.clusterIpService;
		if (service != null) {
			service.close();
		}
		if (this.readinessTimer != null) {
			this.readinessTimer.shutdownNow();
			try {
				this.readinessTimer.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this.dnsLock) {
			this.dnsClosed = true;
			HostsFile.get().remove(this.names.cluster());
			if (this.dnsServer != null) {
				this.dnsServer.close();
			}
		}
	}

}
