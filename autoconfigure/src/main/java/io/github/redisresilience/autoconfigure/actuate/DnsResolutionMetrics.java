package io.github.redisresilience.autoconfigure.actuate;

import java.util.Locale;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.redisresilience.autoconfigure.dns.DnsResolution;

/**
 * Times the client's DNS lookups as {@code redis.resilience.dns.resolution}, tagged with the
 * {@code resolver} and the {@code outcome}: a slow or failing lookup of the seed name is what
 * delays rediscovery after the pods moved.
 */
final class DnsResolutionMetrics implements MeterBinder {

	private static final String METER_NAME = "redis.resilience.dns.resolution";

	private final DnsResolution dnsResolution;

	DnsResolutionMetrics(DnsResolution dnsResolution) {
		this.dnsResolution = dnsResolution;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		String resolver = this.dnsResolution.type().name().toLowerCase(Locale.ROOT);
		Timer resolved = timer(registry, resolver, "success");
		Timer failed = timer(registry, resolver, "failure");
		this.dnsResolution.addResolutionListener((took, succeeded) -> (succeeded ? resolved : failed).record(took));
	}

	private static Timer timer(MeterRegistry registry, String resolver, String outcome) {
		return Timer.builder(METER_NAME)
			.description("DNS lookups of node and seed names by the Redis client")
			.tag("resolver", resolver)
			.tag("outcome", outcome)
			.register(registry);
	}

}
