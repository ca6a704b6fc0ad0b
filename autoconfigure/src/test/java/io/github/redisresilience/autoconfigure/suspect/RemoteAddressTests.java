package io.github.redisresilience.autoconfigure.suspect;

import io.lettuce.core.internal.HostAndPort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteAddressTests {

	@Test
	void addressDialledAsAnIpMatchesThatIpAndPort() {
		RemoteAddress remote = RemoteAddress.parse("/127.0.0.12:6379").orElseThrow();

		assertThat(remote.isReachedBy(HostAndPort.of("127.0.0.12", 6379))).isTrue();
		assertThat(remote.isReachedBy(HostAndPort.of("127.0.0.12", 6380))).isFalse();
		assertThat(remote.isReachedBy(HostAndPort.of("127.0.0.13", 6379))).isFalse();
	}

	@Test
	void addressDialledByNameMatchesThatName() {
		RemoteAddress remote = RemoteAddress.parse("redis-0.redis-headless/10.1.2.3:6379").orElseThrow();

		assertThat(remote.name()).isEqualTo("redis-0.redis-headless");
		assertThat(remote.isReachedBy(HostAndPort.of("REDIS-0.redis-headless", 6379))).isTrue();
	}

	@Test
	void ipv6AddressIsParsedFromTheLastColon() {
		RemoteAddress remote = RemoteAddress.parse("/0:0:0:0:0:0:0:1:6379").orElseThrow();

		assertThat(remote.port()).isEqualTo(6379);
		assertThat(remote.isReachedBy(HostAndPort.of("::1", 6379))).isTrue();
	}

	@Test
	void somethingElseIsNotAnAddress() {
		assertThat(RemoteAddress.parse("embedded")).isEmpty();
		assertThat(RemoteAddress.parse("/127.0.0.1:port")).isEmpty();
	}

}
