package io.github.redisresilience.autoconfigure.actuate;

import java.time.Duration;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Configuration properties of the Actuator parts of the starter: the {@code redisCluster}
 * health indicator, the {@code redistopology} endpoint and the metrics.
 */
@ConfigurationProperties("redis.resilience.actuate")
public class RedisResilienceActuateProperties implements InitializingBean {

	/**
	 * Longest time the health check and the topology endpoint wait for the cluster nodes to
	 * answer a PING and for their dialled host names to resolve; a node that has not answered by
	 * then counts as unreachable.
	 */
	private Duration probeTimeout = Duration.ofSeconds(2);

	/**
	 * Longest time a refresh asked for through the topology endpoint may take before the endpoint
	 * answers without its outcome.
	 */
	private Duration refreshTimeout = Duration.ofSeconds(10);

	public Duration getProbeTimeout() {
		return this.probeTimeout;
	}

	public void setProbeTimeout(Duration probeTimeout) {
		this.probeTimeout = probeTimeout;
	}

	public Duration getRefreshTimeout() {
		return this.refreshTimeout;
	}

	public void setRefreshTimeout(Duration refreshTimeout) {
		this.refreshTimeout = refreshTimeout;
	}

	/**
	 * Checks the bound values.
	 * @throws InvalidResilienceSettingException if a timeout is not positive
	 */
	@Override
	public void afterPropertiesSet() {
		requirePositive("redis.resilience.actuate.probe-timeout", this.probeTimeout);
		requirePositive("redis.resilience.actuate.refresh-timeout", this.refreshTimeout);
	}

	private static void requirePositive(String property, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new InvalidResilienceSettingException(property, value, "a timeout must be positive",
					"Set " + property + " to a positive duration such as 2s");
		}
	}

}
