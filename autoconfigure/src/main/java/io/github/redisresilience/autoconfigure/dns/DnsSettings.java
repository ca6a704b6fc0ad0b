package io.github.redisresilience.autoconfigure.dns;

import java.time.Duration;
import java.util.List;

/**
 * What {@code redis.resilience.dns} asks for, as values: the resolution is built from these,
 * never from the properties class, so that this package depends on nothing of the starter's.
 *
 * @param resolver which resolver Lettuce uses
 * @param maxTtl the longest time the Netty resolver caches an answer
 * @param negativeTtl how long the Netty resolver caches a failed lookup
 * @param servers the name servers the Netty resolver asks, in order, as written
 */
public record DnsSettings(DnsResolverType resolver, Duration maxTtl, Duration negativeTtl, List<String> servers) {

	public DnsSettings {
		servers = List.copyOf(servers);
	}

}
