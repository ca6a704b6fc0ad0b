package io.github.redisresilience.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.resolver.DefaultAddressResolverGroup;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;

import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.test.workload.Workload;

/**
 * The clients compared, each started on its own against the same seeds, with its defaults except
 * where a Spring user would have to change something to use it at all.
 */
enum ClientKind {

	/** The starter with its defaults. */
	STARTER("starter", List.of()),

	/**
	 * The starter with INCR run exactly once, so that an INCR whose fate is unknown (a timeout on a
	 * killed or frozen master) is re-sent instead of failed.
	 */
	STARTER_EXACTLY_ONCE("starter-exactly-once", List.of("--redis.resilience.retry.exactly-once=INCR")),

	/** Spring Boot without the starter: Lettuce with Boot's defaults. */
	STOCK_BOOT("stock-boot", List.of("--redis.resilience.enabled=false")),

	/** Spring Boot without the starter, with the topology refresh Boot's own properties offer. */
	BOOT_REFRESH("boot-refresh", List.of("--redis.resilience.enabled=false",
			"--spring.data.redis.lettuce.cluster.refresh.period=10s",
			"--spring.data.redis.lettuce.cluster.refresh.adaptive=true")),

	/** Spring Boot with Jedis instead of Lettuce, Jedis' defaults. */
	BOOT_JEDIS("boot-jedis", List.of("--redis.resilience.enabled=false", "--spring.data.redis.client-type=jedis")),

	/** Redisson on its own, reading from masters (its default reads replicas, and stale values). */
	REDISSON("redisson", List.of());

	private static final Logger logger = LoggerFactory.getLogger(ClientKind.class);

	private final String label;

	private final List<String> arguments;

	ClientKind(String label, List<String> arguments) {
		this.label = label;
		this.arguments = arguments;
	}

	String label() {
		return this.label;
	}

	/** Whether this is the starter, in any of its settings. */
	boolean isStarter() {
		return this == STARTER || this == STARTER_EXACTLY_ONCE;
	}

	static ClientKind fromLabel(String label) {
		for (ClientKind kind : values()) {
			if (kind.label.equals(label.strip())) {
				return kind;
			}
		}
		throw new IllegalArgumentException("Unknown client '" + label + "'; known: " + List.of(values()));
	}

	@Override
	public String toString() {
		return this.label;
	}

	/**
	 * Starts a client of this kind.
	 * @param seeds the cluster's seeds, {@code host:port}
	 * @return the running client
	 */
	RunningClient start(String seeds) {
		return start(seeds, null);
	}

	/**
	 * Starts a client of this kind, over TLS if the cluster speaks TLS only.
	 * @param seeds the cluster's seeds, {@code host:port}
	 * @param tls how to trust the cluster, {@code null} for a plain cluster
	 * @return the running client
	 */
	RunningClient start(String seeds, @Nullable ClusterTls tls) {
		return start(seeds, tls, false);
	}

	/**
	 * Starts a client of this kind, over TLS if the cluster speaks TLS only.
	 * @param seeds the cluster's seeds, {@code host:port}
	 * @param tls how to trust the cluster, {@code null} for a plain cluster
	 * @param countCommands whether a Lettuce client counts its topology reads and handshakes itself
	 * ({@link RunningClient#counts()})
	 * @return the running client
	 */
	RunningClient start(String seeds, @Nullable ClusterTls tls, boolean countCommands) {
		return (this == REDISSON) ? startRedisson(seeds, tls) : startSpring(seeds, tls, countCommands);
	}

	/** Whether a client of this kind runs on Lettuce, and so can count its own commands. */
	boolean isLettuce() {
		return this == STARTER || this == STARTER_EXACTLY_ONCE || this == STOCK_BOOT || this == BOOT_REFRESH;
	}

	private RunningClient startSpring(String seeds, @Nullable ClusterTls tls, boolean countCommands) {
		List<String> args = new ArrayList<>(List.of("--spring.data.redis.cluster.nodes=" + seeds,
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"--redis.resilience.dns.resolver=jdk", "--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
				"--spring.application.name=bench-" + this.label));
		args.addAll(this.arguments);
		if (countCommands && isLettuce()) {
			args.add("--bench.count-client-commands=true");
		}
		if (tls != null) {
			tls.springProperties().forEach((name, value) -> args.add("--" + name + "=" + value));
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(args.toArray(String[]::new));
		ValueOperations<String, String> values = context.getBean(StringRedisTemplate.class).opsForValue();
		Workload.Operations operations = Workload.Operations.of(values::set, values::get, values::increment);
		ClientSideCounts counts = context.getBeanProvider(ClientSideCounts.class).getIfAvailable();
		AutoCloseable closer = () -> {
			// How the starter read the topology over the run (held, seed, full; by outcome): the
			// cluster's counts say how much, these say which path.
			context.getBeanProvider(TopologyWatcher.class)
				.ifAvailable((watcher) -> logger.info("{} topology reads: {}", this.label, watcher.counters()));
			context.close();
		};
		return new RunningClient(this, operations, closer, counts);
	}

	private RunningClient startRedisson(String seeds, @Nullable ClusterTls tls) {
		Config config = new Config();
		// Redisson resolves with Netty's DNS resolver by default, which does not read the hosts file
		// the kit publishes its names in: its resolver factory is the option to use the JDK's instead.
		config.setAddressResolverGroupFactory((datagramChannel, socketChannel, nameServers) -> DefaultAddressResolverGroup.INSTANCE);
		ClusterServersConfig servers = config.useClusterServers()
			.addNodeAddress(((tls != null) ? "rediss://" : "redis://") + seeds)
			.setReadMode(ReadMode.MASTER);
		if (tls != null) {
			servers.setSslTrustManagerFactory(tls.trustManagerFactory());
		}
		RedissonClient redisson = Redisson.create(config);
		// The increment is INCRBY key 1: the same effect as INCR, and as ambiguous when it fails.
		Workload.Operations operations = Workload.Operations.of(
				(key, value) -> redisson.<String>getBucket(key, StringCodec.INSTANCE).set(value),
				(key) -> redisson.<String>getBucket(key, StringCodec.INSTANCE).get(),
				(key) -> redisson.getAtomicLong(key).incrementAndGet());
		return new RunningClient(this, operations, () -> redisson.shutdown(0, 5, TimeUnit.SECONDS), null);
	}

	/**
	 * A started client, its operations and how to stop it.
	 * @param counts its own counts of topology reads and handshakes, {@code null} where it keeps none
	 */
	record RunningClient(ClientKind kind, Workload.Operations operations, AutoCloseable closer,
			@Nullable ClientSideCounts counts) {

	}

}
