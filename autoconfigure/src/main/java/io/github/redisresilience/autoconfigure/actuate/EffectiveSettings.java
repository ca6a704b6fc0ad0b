package io.github.redisresilience.autoconfigure.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import org.jspecify.annotations.Nullable;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Dns;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Reconnect;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Remap;
import io.github.redisresilience.autoconfigure.retry.DeliveryPolicy;

/**
 * The resilience settings in effect, for the topology endpoint: what the running client was built
 * with where Lettuce tells (topology refresh, socket options), the starter's properties
 * otherwise. It reads nothing that can hold a secret: no URIs, no credentials, none of
 * {@code spring.data.redis.*} but the command timeout.
 */
final class EffectiveSettings {

	private EffectiveSettings() {
	}

	static Map<String, Object> of(RedisResilienceProperties properties, @Nullable Duration springCommandTimeout,
			@Nullable RedisClusterClient client, @Nullable DeliveryPolicy deliveryPolicy) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("enabled", properties.isEnabled());
		ClientOptions options = (client != null) ? client.getOptions() : null;
		settings.put("timeouts", timeouts(properties, springCommandTimeout, options));
		if (options != null) {
			settings.put("socket", socket(options.getSocketOptions()));
		}
		if (options instanceof ClusterClientOptions clusterOptions) {
			settings.put("topology", topology(properties, clusterOptions));
		}
		settings.put("reconnect", reconnect(properties.getReconnect()));
		settings.put("dns", dns(properties.getDns()));
		settings.put("remap", remap(properties.getRemap()));
		if (deliveryPolicy != null) {
			// What becomes of each command family whose outcome is unknown: the same lines as the
			// startup report, so that operators read one policy in both places.
			settings.put("delivery", deliveryPolicy.families());
		}
		return settings;
	}

	private static Map<String, Object> timeouts(RedisResilienceProperties properties,
			@Nullable Duration springCommandTimeout, @Nullable ClientOptions options) {
		Map<String, Object> timeouts = new LinkedHashMap<>();
		timeouts.put("command",
				format((springCommandTimeout != null) ? springCommandTimeout : properties.getTimeouts().getCommand()));
		timeouts.put("connect", format((options != null) ? options.getSocketOptions().getConnectTimeout()
				: properties.getTimeouts().getConnect()));
		return timeouts;
	}

	private static Map<String, Object> socket(SocketOptions socket) {
		Map<String, Object> settings = new LinkedHashMap<>();
		SocketOptions.KeepAliveOptions keepAlive = socket.getKeepAlive();
		settings.put("keepalive", keepAlive.isEnabled() ? format(keepAlive.getIdle()) + " idle, "
				+ format(keepAlive.getInterval()) + " interval, " + keepAlive.getCount() + " probes" : "off");
		SocketOptions.TcpUserTimeoutOptions tcpUserTimeout = socket.getTcpUserTimeout();
		settings.put("tcpUserTimeout", tcpUserTimeout.isEnabled() ? format(tcpUserTimeout.getTcpUserTimeout()) : "off");
		return settings;
	}

	private static Map<String, Object> topology(RedisResilienceProperties properties, ClusterClientOptions options) {
		ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
		Map<String, Object> topology = new LinkedHashMap<>();
		topology.put("refreshPeriod", refresh.isPeriodicRefreshEnabled() ? format(refresh.getRefreshPeriod()) : "off");
		topology.put("adaptiveTriggers", refresh.getAdaptiveRefreshTriggers()
			.stream()
			.map((trigger) -> kebab(trigger.name()))
			.sorted()
			.toList());
		topology.put("adaptiveRateLimit", format(refresh.getAdaptiveRefreshTimeout()));
		topology.put("reconnectAttempts", refresh.getRefreshTriggersReconnectAttempts());
		topology.put("dynamicSources", refresh.useDynamicRefreshSources());
		topology.put("closeStaleConnections", refresh.isCloseStaleConnections());
		topology.put("degradedPeriod", format(properties.getTopology().getRefresh().getDegradedPeriod()));
		topology.put("excludeFailedNodes", properties.getTopology().isExcludeFailedNodes());
		topology.put("validateMembership", options.isValidateClusterNodeMembership());
		topology.put("maxRedirects", options.getMaxRedirects());
		return topology;
	}

	private static Map<String, Object> reconnect(Reconnect reconnect) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("delay", kebab(reconnect.getDelay().name()));
		settings.put("min", format(reconnect.getMin()));
		settings.put("max", format(reconnect.getMax()));
		settings.put("base", reconnect.getBase());
		return settings;
	}

	private static Map<String, Object> dns(Dns dns) {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("resolver", kebab(dns.getResolver().name()));
		settings.put("maxTtl", format(dns.getMaxTtl()));
		settings.put("negativeTtl", format(dns.getNegativeTtl()));
		return settings;
	}

	private static Map<String, Object> remap(Remap remap) {
		Map<String, Object> settings = new LinkedHashMap<>();
		List<Remap.Rule> rules = (remap.getRules() != null) ? remap.getRules() : List.of();
		settings.put("rules", rules.stream().map((rule) -> rule.getFrom() + " -> " + rule.getTo()).toList());
		if (remap.getProxyEndpoint() != null) {
			settings.put("proxyEndpoint", remap.getProxyEndpoint());
		}
		settings.put("onFold", kebab(remap.getOnFold().name()));
		return settings;
	}

	private static String kebab(String constant) {
		return constant.toLowerCase(Locale.ROOT).replace('_', '-');
	}

	static String format(Duration duration) {
		if (duration.toMillis() % 1000 != 0 || duration.isZero()) {
			return duration.toMillis() + "ms";
		}
		return duration.toSeconds() + "s";
	}

}
