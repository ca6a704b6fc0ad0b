package io.github.redisresilience.autoconfigure.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.core.Ordered;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Reconnect;
import io.github.redisresilience.autoconfigure.dns.DnsResolution;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;

/**
 * Sets the reconnect delay, the DNS resolver and, when remapping is configured, the socket
 * address resolver on the client resources Spring Boot builds. It runs before customizers
 * without an order, so an application's own customizer can still override it.
 */
final class ResilienceClientResourcesCustomizer implements ClientResourcesBuilderCustomizer, Ordered {

	private final Reconnect reconnect;

	private final DnsResolution dnsResolution;

	private final AddressRemapper remapper;

	private final AtomicBoolean applied = new AtomicBoolean();

	ResilienceClientResourcesCustomizer(Reconnect reconnect, DnsResolution dnsResolution, AddressRemapper remapper) {
		this.reconnect = reconnect;
		this.dnsResolution = dnsResolution;
		this.remapper = remapper;
	}

	@Override
	public void customize(ClientResources.Builder builder) {
		this.applied.set(true);
		applyReconnectDelay(builder);
		builder.addressResolverGroup(this.dnsResolution.addressResolverGroup());
		if (this.remapper.isActive()) {
			builder.socketAddressResolver(this.remapper.toResolver());
		}
	}

	private void applyReconnectDelay(ClientResources.Builder builder) {
		long min = this.reconnect.getMin().toMillis();
		long max = this.reconnect.getMax().toMillis();
		long base = this.reconnect.getBase();
		TimeUnit unit = TimeUnit.MILLISECONDS;
		// Jitter delays are handed over as suppliers so that each connection gets its own
		// instance: decorrelated jitter keeps the previous delay as state.
		switch (this.reconnect.getDelay()) {
			case EXPONENTIAL -> builder.reconnectDelay(Delay.exponential(min, max, unit, (int) base));
			case EQUAL_JITTER -> builder.reconnectDelay(() -> Delay.equalJitter(min, max, base, unit));
			case FULL_JITTER -> builder.reconnectDelay(() -> Delay.fullJitter(min, max, base, unit));
			case DECORRELATED_JITTER -> builder.reconnectDelay(Delay.decorrelatedJitter(min, max, base, unit));
		}
	}

	/**
	 * Whether Spring Boot built client resources with this customizer; {@code false} when
	 * the application defines its own {@link ClientResources} bean.
	 * @return {@code true} once applied
	 */
	boolean isApplied() {
		return this.applied.get();
	}

	@Override
	public int getOrder() {
		return 0;
	}

}
