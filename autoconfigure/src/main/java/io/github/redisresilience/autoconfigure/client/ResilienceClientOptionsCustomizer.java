package io.github.redisresilience.autoconfigure.client;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SocketOptions.KeepAliveOptions;
import io.lettuce.core.SocketOptions.TcpUserTimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.resource.EpollProvider;
import io.lettuce.core.resource.IOUringProvider;
import io.lettuce.core.resource.KqueueProvider;
import io.netty.util.NetUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.core.Ordered;
import org.springframework.util.ReflectionUtils;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties.AdaptiveTrigger;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Socket.Keepalive;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Topology;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties;

/**
 * Applies socket options to any Lettuce client options Spring Boot builds, and topology
 * refresh, node filter, membership validation and redirect limit when they are cluster
 * options (that is, when {@code spring.data.redis.cluster.nodes} is set).
 * <p>
 * Where Spring Boot has a property for the same thing and it is set, Boot's value wins:
 * {@code spring.data.redis.connect-timeout}, {@code spring.data.redis.lettuce.cluster.refresh.period}
 * (which also turns Lettuce's periodic refresh back on beside the starter's held-connection reads),
 * {@code spring.data.redis.lettuce.cluster.refresh.adaptive=true} (adds all triggers; read from
 * what Spring Boot 4.0 binds: Spring Boot 4.1 removed the property, and with it its effect),
 * {@code spring.data.redis.lettuce.cluster.refresh.dynamic-refresh-sources=false}, and
 * {@code spring.data.redis.cluster.max-redirects} (applied by Spring Data Redis after
 * this customizer).
 * <p>
 * Every option is set explicitly rather than left to Lettuce's defaults, which changed in
 * Lettuce 7 (Spring Boot 4.1): all adaptive triggers on with a 5 s rate limit, keepalive
 * on. The effective options are the same with Lettuce 6.8 and 7.
 */
final class ResilienceClientOptionsCustomizer implements LettuceClientOptionsBuilderCustomizer, Ordered {

	private static final Log logger = LogFactory.getLog(ResilienceClientOptionsCustomizer.class);

	private final RedisResilienceProperties properties;

	private final Supplier<@Nullable DataRedisProperties> bootProperties;

	/** The hosts of the seeds, as Spring Boot's connection details give them. */
	private final Supplier<List<String>> seedHosts;

	/**
	 * Spring Boot 4.0 binds {@code spring.data.redis.lettuce.cluster.refresh.adaptive}; 4.1 removed
	 * it (Lettuce 7 enables every trigger by default). Code compiled against either line finds it
	 * here only where Boot binds it.
	 */
	private static final @Nullable Method BOOT_ADAPTIVE = ReflectionUtils
		.findMethod(DataRedisProperties.Lettuce.Cluster.Refresh.class, "isAdaptive");

	private final AtomicBoolean applied = new AtomicBoolean();

	private final AtomicBoolean clusterApplied = new AtomicBoolean();

	private final AtomicBoolean warned = new AtomicBoolean();

	ResilienceClientOptionsCustomizer(RedisResilienceProperties properties,
			Supplier<@Nullable DataRedisProperties> bootProperties) {
		this(properties, bootProperties, List::of);
	}

	/**
	 * @param properties the starter's properties
	 * @param bootProperties Spring Boot's Redis properties, if bound
	 * @param seedHosts the hosts of the seeds, for the default of dynamic refresh sources
	 */
	ResilienceClientOptionsCustomizer(RedisResilienceProperties properties,
			Supplier<@Nullable DataRedisProperties> bootProperties, Supplier<List<String>> seedHosts) {
		this.properties = properties;
		this.bootProperties = bootProperties;
		this.seedHosts = seedHosts;
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		this.applied.set(true);
		builder.socketOptions(socketOptions());
		if (builder instanceof ClusterClientOptions.Builder clusterBuilder) {
			applyCluster(clusterBuilder);
			this.clusterApplied.set(true);
			return;
		}
		if (this.warned.compareAndSet(false, true)) {
			logger.warn("Redis resilience cluster settings (topology refresh, failed node filter, membership "
					+ "validation, max redirects) are not applied because spring.data.redis.cluster.nodes is not set; "
					+ "socket and timeout settings still apply");
		}
	}

	SocketOptions socketOptions() {
		SocketOptions.Builder builder = SocketOptions.builder().connectTimeout(connectTimeout());
		Keepalive keepalive = this.properties.getSocket().getKeepalive();
		if (!keepalive.isEnabled()) {
			// Lettuce 7 turns keepalive on by default: "off" has to be said.
			builder.keepAlive(false);
		}
		else if (extendedKeepAliveSupported()) {
			builder.keepAlive(KeepAliveOptions.builder()
				.enable()
				.idle(keepalive.getIdle())
				.interval(keepalive.getInterval())
				.count(keepalive.getCount())
				.build());
		}
		else {
			builder.keepAlive(true);
		}
		Duration tcpUserTimeout = this.properties.getSocket().getTcpUserTimeout();
		if (tcpUserTimeout != null && !tcpUserTimeout.isZero() && tcpUserTimeoutSupported()) {
			builder.tcpUserTimeout(TcpUserTimeoutOptions.builder().enable().tcpUserTimeout(tcpUserTimeout).build());
		}
		return builder.build();
	}

	/**
	 * Whether the transport can set TCP_USER_TIMEOUT. On NIO Lettuce would log a warning on
	 * every connection and ignore it, so it is left out there instead.
	 * @return {@code true} with the epoll or io_uring transport
	 */
	static boolean tcpUserTimeoutSupported() {
		return EpollProvider.isAvailable() || IOUringProvider.isAvailable();
	}

	/**
	 * Whether the transport can set the keepalive idle time, interval and count. Lettuce 6.8
	 * logs a warning on every connection when it cannot, and Lettuce 7.5 fails the
	 * connection, so elsewhere (kqueue on macOS) plain SO_KEEPALIVE with the system's timing
	 * is used.
	 * @return {@code true} with the epoll or io_uring transport, or NIO with the JDK's
	 * extended socket options
	 */
	static boolean extendedKeepAliveSupported() {
		return EpollProvider.isAvailable() || IOUringProvider.isAvailable() || !KqueueProvider.isAvailable();
	}

	Duration connectTimeout() {
		DataRedisProperties boot = this.bootProperties.get();
		Duration bootTimeout = (boot != null) ? boot.getConnectTimeout() : null;
		return (bootTimeout != null) ? bootTimeout : this.properties.getTimeouts().getConnect();
	}

	/**
	 * Return the redirect limit in effect: Spring Data Redis applies
	 * {@code spring.data.redis.cluster.max-redirects} after this customizer.
	 * @return the limit
	 */
	int maxRedirects() {
		DataRedisProperties boot = this.bootProperties.get();
		Integer bootLimit = (boot != null && boot.getCluster() != null) ? boot.getCluster().getMaxRedirects() : null;
		return (bootLimit != null) ? bootLimit : this.properties.getTopology().getMaxRedirects();
	}

	private void applyCluster(ClusterClientOptions.Builder builder) {
		Topology topology = this.properties.getTopology();
		builder.topologyRefreshOptions(topologyRefreshOptions())
			.validateClusterNodeMembership(topology.isValidateMembership())
			.maxRedirects(topology.getMaxRedirects());
		if (topology.isExcludeFailedNodes()) {
			builder.nodeFilter(new FailedNodeFilter());
		}
	}

	ClusterTopologyRefreshOptions topologyRefreshOptions() {
		Topology.Refresh refresh = this.properties.getTopology().getRefresh();
		DataRedisProperties boot = this.bootProperties.get();
		DataRedisProperties.Lettuce.Cluster.Refresh bootRefresh = (boot != null)
				? boot.getLettuce().getCluster().getRefresh() : null;
		Set<RefreshTrigger> triggers = refreshTriggers(refresh.getAdaptiveTriggers(), adaptiveFromBoot(bootRefresh));
		ClusterTopologyRefreshOptions.Builder builder = ClusterTopologyRefreshOptions.builder();
		Duration bootPeriod = (bootRefresh != null) ? bootRefresh.getPeriod() : null;
		if (bootPeriod != null) {
			builder.enablePeriodicRefresh(bootPeriod);
		}
		else if (refresh.isHeldConnectionReads()) {
			// The starter reads the topology every period over a connection it holds: Lettuce's
			// periodic refresh would connect to every node each period on top of that.
			builder.enablePeriodicRefresh(false);
		}
		else {
			builder.enablePeriodicRefresh(refresh.getPeriod());
		}
		builder.adaptiveRefreshTriggersTimeout(refresh.getAdaptiveRateLimit())
			.refreshTriggersReconnectAttempts(refresh.getReconnectAttempts())
			.dynamicRefreshSources(dynamicSources(refresh)
					&& (bootRefresh == null || bootRefresh.isDynamicRefreshSources()))
			.closeStaleConnections(refresh.isCloseStaleConnections());
		return AdaptiveTriggers.apply(builder, triggers);
	}

	/**
	 * Whether Lettuce's full refresh reads every known node or the seeds only: as set, else the
	 * seeds only when the starter reads the topology over held connections and every seed is a
	 * host name. A name (a headless or ClusterIP Service) keeps leading to live pods, so one
	 * connection per seed finds the cluster; reading every node costs a connection (and a TLS
	 * handshake) per node on every adaptive trigger, for every client of a fleet. IP seeds go
	 * stale once the pods move: there every known node is read, the seeds last.
	 */
	boolean dynamicSources(Topology.Refresh refresh) {
		Boolean configured = refresh.getDynamicSources();
		if (configured != null) {
			return configured;
		}
		List<String> hosts = this.seedHosts.get();
		boolean allNames = !hosts.isEmpty() && hosts.stream().noneMatch(ResilienceClientOptionsCustomizer::isIpAddress);
		return !(refresh.isHeldConnectionReads() && allNames);
	}

	private static boolean isIpAddress(String host) {
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		return NetUtil.isValidIpV4Address(bare) || NetUtil.isValidIpV6Address(bare);
	}

	/**
	 * Whether Spring Boot bound {@code spring.data.redis.lettuce.cluster.refresh.adaptive=true}.
	 * @param bootRefresh Boot's refresh properties, if any
	 * @return {@code false} on Spring Boot 4.1, which has no such property
	 */
	static boolean adaptiveFromBoot(DataRedisProperties.Lettuce.Cluster.@Nullable Refresh bootRefresh) {
		return bootRefresh != null && BOOT_ADAPTIVE != null
				&& Boolean.TRUE.equals(ReflectionUtils.invokeMethod(BOOT_ADAPTIVE, bootRefresh));
	}

	static Set<RefreshTrigger> refreshTriggers(Set<AdaptiveTrigger> configured, boolean allFromBoot) {
		if (allFromBoot) {
			return EnumSet.allOf(RefreshTrigger.class);
		}
		Set<RefreshTrigger> triggers = EnumSet.noneOf(RefreshTrigger.class);
		for (AdaptiveTrigger trigger : configured) {
			triggers.add(toLettuce(trigger));
		}
		return triggers;
	}

	private static RefreshTrigger toLettuce(AdaptiveTrigger trigger) {
		return switch (trigger) {
			case MOVED_REDIRECT -> RefreshTrigger.MOVED_REDIRECT;
			case ASK_REDIRECT -> RefreshTrigger.ASK_REDIRECT;
			case PERSISTENT_RECONNECTS -> RefreshTrigger.PERSISTENT_RECONNECTS;
			case UNCOVERED_SLOT -> RefreshTrigger.UNCOVERED_SLOT;
			case UNKNOWN_NODE -> RefreshTrigger.UNKNOWN_NODE;
		};
	}

	boolean isApplied() {
		return this.applied.get();
	}

	boolean isClusterApplied() {
		return this.clusterApplied.get();
	}

	@Override
	public int getOrder() {
		return 0;
	}

}
