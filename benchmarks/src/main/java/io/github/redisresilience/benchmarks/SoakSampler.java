package io.github.redisresilience.benchmarks;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.management.UnixOperatingSystemMXBean;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;

/**
 * Samples the soak's resources on a thread of its own: the JVM's first, then the servers' count of
 * the application's connections (over connections of the sampler's own, closed at once and not
 * counted: they carry no client name).
 */
final class SoakSampler implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SoakSampler.class);

	private static final Duration SERVER_TIMEOUT = Duration.ofSeconds(2);

	private final LocalRedisCluster cluster;

	/** The default user's password, for {@code CLIENT LIST}. */
	private final String adminPassword;

	private final String clientName;

	private final MeterRegistry registry;

	private final TopologyWatcher watcher;

	private final SuspectWatch suspects;

	private final List<SoakSample> samples = new CopyOnWriteArrayList<>();

	/**
	 * The sampler's connections must leave nothing behind in the JVM it measures: the JDK's
	 * resolver (it dials IPs; Lettuce's default Netty resolver left a UDP socket open every few
	 * connections here), and no command latency histograms (Lettuce keeps one per remote address
	 * for 10 minutes by default, see {@link SoakApplication}).
	 */
	private final ClientResources resources = DefaultClientResources.builder()
		.ioThreadPoolSize(1)
		.computationThreadPoolSize(1)
		.addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
		.commandLatencyRecorder(CommandLatencyRecorder.disabled())
		.build();

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "soak-sampler");
		thread.setDaemon(true);
		return thread;
	});

	SoakSampler(LocalRedisCluster cluster, String adminPassword, String clientName, MeterRegistry registry,
			TopologyWatcher watcher, SuspectWatch suspects) {
		this.cluster = cluster;
		this.adminPassword = adminPassword;
		this.clientName = clientName;
		this.registry = registry;
		this.watcher = watcher;
		this.suspects = suspects;
	}

	void start(Duration every) {
		this.executor.scheduleWithFixedDelay(this::sampleSafely, 0, every.toMillis(), TimeUnit.MILLISECONDS);
	}

	List<SoakSample> samples() {
		return List.copyOf(this.samples);
	}

	private void sampleSafely() {
		try {
			this.samples.add(sample());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not sample the soak's resources", ex);
		}
	}

	private SoakSample sample() {
		Instant at = Instant.now();
		// Explicit, so that every sample sees the heap after a full collection, not after whichever ran last.
		System.gc();
		long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		long threads = ManagementFactory.getThreadMXBean().getThreadCount();
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		long files = (os instanceof UnixOperatingSystemMXBean unix) ? unix.getOpenFileDescriptorCount() : -1;
		long directJdk = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> pool.getName().equals("direct"))
			.mapToLong(BufferPoolMXBean::getMemoryUsed)
			.findFirst()
			.orElse(-1);
		long directNetty = (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider)
				? provider.metric().usedDirectMemory() : -1;
		Set<String> tags = new HashSet<>();
		List<Meter> meters = this.registry.getMeters();
		for (Meter meter : meters) {
			for (Tag tag : meter.getId().getTags()) {
				tags.add(meter.getId().getName() + ":" + tag.getKey() + "=" + tag.getValue());
			}
		}
		long connections = RedisConnectionsCount.established(this.cluster.port());
		int pods = (int) this.cluster.pods().stream().filter(RedisPod::isRunning).count();
		return new SoakSample(at, heap, threads, files, directJdk, directNetty, connections, serverClients(),
				meters.size(), tags.size(), this.suspects.all().size(),
				this.watcher.recentAddressChanges().size(), pods);
	}

	/** The application's connections as the servers count them, -1 if a running pod did not say. */
	private long serverClients() {
		long total = 0;
		for (RedisPod pod : this.cluster.pods()) {
			if (!pod.isRunning() || pod.isPaused() || pod.isIsolated()) {
				continue;
			}
			RedisURI uri = RedisURI.create(pod.address().getHostString(), pod.address().getPort());
			uri.setTimeout(SERVER_TIMEOUT);
			uri.setPassword(this.adminPassword.toCharArray());
			RedisClient client = RedisClient.create(this.resources, uri);
			try (StatefulRedisConnection<String, String> connection = client.connect()) {
				String list = connection.sync().clientList();
				total += list.lines().filter((line) -> line.contains(" name=" + this.clientName + " ")).count();
			}
			catch (RuntimeException ex) {
				// A pod between two states of a disruption: this sample has no server count.
				return -1;
			}
			finally {
				client.shutdown(Duration.ZERO, SERVER_TIMEOUT);
			}
		}
		return total;
	}

	@Override
	public void close() {
		if (this.executor.isShutdown()) {
			return;
		}
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

}
