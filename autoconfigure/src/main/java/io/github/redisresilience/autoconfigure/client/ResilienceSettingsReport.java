package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Reconnect;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Socket;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties;
import io.github.redisresilience.autoconfigure.dns.DnsResolution;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.settings.Durations;

/**
 * Logs one INFO line summarising the settings in effect once all singletons exist (and so
 * the Lettuce connection factory has been configured), and a WARN when remap rules could
 * not be applied because the application builds its own client resources.
 */
final class ResilienceSettingsReport implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RedisResilienceAutoConfiguration.class);

	private final RedisResilienceProperties properties;

	private final ResilienceClientResourcesCustomizer resourcesCustomizer;

	private final ResilienceClientOptionsCustomizer optionsCustomizer;

	private final ResilienceCommandTimeoutCustomizer timeoutCustomizer;

	private final DnsResolution dnsResolution;

	private final AddressRemapper remapper;

	ResilienceSettingsReport(RedisResilienceProperties properties, ResilienceClientResourcesCustomizer resourcesCustomizer,
			ResilienceClientOptionsCustomizer optionsCustomizer, ResilienceCommandTimeoutCustomizer timeoutCustomizer,
			DnsResolution dnsResolution, AddressRemapper remapper) {
		this.properties = properties;
		this.resourcesCustomizer = resourcesCustomizer;
		this.optionsCustomizer = optionsCustomizer;
		this.timeoutCustomizer = timeoutCustomizer;
		this.dnsResolution = dnsResolution;
		this.remapper = remapper;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!this.resourcesCustomizer.isApplied() && this.remapper.isActive()) {
			logger.warn("Redis resilience remap rules are not applied: the application defines its own "
					+ "ClientResources bean; set AddressRemapper#toResolver() as its socketAddressResolver");
		}
		if (logger.isInfoEnabled()) {
			logger.info(summary());
		}
	}

	String summary() {
		return "Redis resilience: " + clientOptions() + "; " + clientResources();
	}

	private String clientOptions() {
		if (!this.optionsCustomizer.isApplied()) {
			return "client options not applied (no Lettuce connection factory from Spring Boot)";
		}
		return "command-timeout=" + format(this.timeoutCustomizer.effectiveTimeout()) + ", connect-timeout="
				+ format(this.optionsCustomizer.connectTimeout()) + ", " + socket() + ", " + topology();
	}

	private String socket() {
		Socket socket = this.properties.getSocket();
		Socket.Keepalive keepalive = socket.getKeepalive();
		String text = keepalive.isEnabled() ? "keepalive=" + format(keepalive.getIdle()) + "/"
				+ format(keepalive.getInterval()) + "x" + keepalive.getCount() : "keepalive=off";
		Duration tcpUserTimeout = socket.getTcpUserTimeout();
		if (tcpUserTimeout == null || tcpUserTimeout.isZero()) {
			return text + ", tcp-user-timeout=off";
		}
		return text + ", tcp-user-timeout=" + format(tcpUserTimeout)
				+ (ResilienceClientOptionsCustomizer.tcpUserTimeoutSupported() ? "" : " (not applied: needs epoll or io_uring)");
	}

	private String topology() {
		if (!this.optionsCustomizer.isClusterApplied()) {
			return "cluster settings not applied (not in cluster mode)";
		}
		var refresh = this.optionsCustomizer.topologyRefreshOptions();
		var topology = this.properties.getTopology();
		String triggers = refresh.getAdaptiveRefreshTriggers()
			.stream()
			.sorted()
			.map((trigger) -> trigger.name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.collect(Collectors.joining(",", "[", "]"));
		String heldReads = topology.getRefresh().isHeldConnectionReads()
				? format(topology.getRefresh().getPeriod()) : "off";
		String lettucePeriodic = refresh.isPeriodicRefreshEnabled() ? format(refresh.getRefreshPeriod()) : "off";
		return "topology-reads=" + heldReads + ", lettuce-periodic-refresh=" + lettucePeriodic
				+ ", adaptive-triggers=" + triggers
				+ ", adaptive-rate-limit=" + format(refresh.getAdaptiveRefreshTimeout()) + ", dynamic-sources="
				+ refresh.useDynamicRefreshSources() + ", exclude-failed-nodes=" + topology.isExcludeFailedNodes()
				+ ", validate-membership=" + topology.isValidateMembership() + ", max-redirects="
				+ this.optionsCustomizer.maxRedirects();
	}

	private String clientResources() {
		if (!this.resourcesCustomizer.isApplied()) {
			return "client resources are the application's own (reconnect delay, dns and remap not applied)";
		}
		Reconnect reconnect = this.properties.getReconnect();
		return "reconnect=" + reconnect.getDelay().name().toLowerCase(Locale.ROOT).replace('_', '-') + " "
				+ format(reconnect.getMin()) + ".." + format(reconnect.getMax()) + ", dns=" + this.dnsResolution
				+ ", remap=" + this.remapper;
	}

	private static String format(Duration duration) {
		return Durations.format(duration);
	}

}
