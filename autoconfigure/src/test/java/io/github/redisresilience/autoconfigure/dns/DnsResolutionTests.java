package io.github.redisresilience.autoconfigure.dns;

import java.time.Duration;

import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Dns;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.DnsResolverType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DnsResolution}.
 */
class DnsResolutionTests {

	@Test
	void nettyResolverIsTheDefault() {
		try (DnsResolution resolution = DnsResolution.from(new Dns())) {
			assertThat(resolution.type()).isEqualTo(DnsResolverType.NETTY);
			assertThat(resolution.addressResolverGroup()).isInstanceOf(DnsAddressResolverGroup.class);
		}
	}

	@Test
	void nettyResolverDescribesItsTtls() {
		Dns dns = new Dns();
		dns.setMaxTtl(Duration.ofSeconds(30));
		dns.setNegativeTtl(Duration.ZERO);
		try (DnsResolution resolution = DnsResolution.from(dns)) {
			assertThat(resolution).hasToString("netty (max-ttl 30s, negative-ttl 0s)");
		}
	}

	@Test
	void jdkResolverUsesTheJvmsLookups() {
		Dns dns = new Dns();
		dns.setResolver(DnsResolverType.JDK);
		try (DnsResolution resolution = DnsResolution.from(dns)) {
			assertThat(resolution.addressResolverGroup()).isSameAs(DefaultAddressResolverGroup.INSTANCE);
		}
	}

	@Test
	void closingTheJdkResolverLeavesTheSharedJvmResolverUsable() {
		Dns dns = new Dns();
		dns.setResolver(DnsResolverType.JDK);
		DnsResolution.from(dns).close();
		assertThat(DnsResolution.from(dns).addressResolverGroup()
			.getResolver(io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE)).isNotNull();
	}

}
