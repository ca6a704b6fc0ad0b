package io.github.redisresilience.autoconfigure.startup;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.remap.FoldPolicy;
import io.github.redisresilience.autoconfigure.remap.RemapSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lettuce builds its TLS engine, and so verifies the certificate, for the host of the address
 * the socket address resolver returns: the remapping resolver must return the dialled name,
 * unresolved, never an IP it resolved itself.
 */
class DialledHostTests {

	@Test
	void remappedNodeIsHandedToLettuceAsTheDialledName() {
		SocketAddress resolved = remapper("regex:10\\.(\\d+)\\.(\\d+)\\.(\\d+):(\\d+)",
				"10-{1}-{2}-{3}.redis.pod.cluster.local:{4}")
			.toResolver()
			.resolve(RedisURI.create("10.1.2.3", 6379));

		assertThat(resolved).isInstanceOfSatisfying(InetSocketAddress.class, (address) -> {
			assertThat(address.isUnresolved()).isTrue();
			assertThat(address.getHostString()).isEqualTo("10-1-2-3.redis.pod.cluster.local");
			assertThat(address.getPort()).isEqualTo(6379);
		});
	}

	@Test
	void nodeNoRuleMatchesIsHandedToLettuceAsAnnounced() {
		SocketAddress resolved = remapper("10.9.9.9:6379", "elsewhere:6379").toResolver()
			.resolve(RedisURI.create("10.1.2.3", 6379));

		assertThat(resolved).isInstanceOfSatisfying(InetSocketAddress.class,
				(address) -> assertThat(address.getHostString()).isEqualTo("10.1.2.3"));
	}

	private static AddressRemapper remapper(String from, String to) {
		return AddressRemapper.from(new RemapSettings(List.of(new RemapSettings.Rule(from, to)), null, FoldPolicy.FAIL));
	}

}
