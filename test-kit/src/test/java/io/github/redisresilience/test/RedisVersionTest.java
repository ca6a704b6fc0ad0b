package io.github.redisresilience.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedisVersionTest {

	@Test
	void readsTheVersionFromRedisServerOutput() {
		RedisVersion version = RedisVersion.parse("Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64");

		assertThat(version).isEqualTo(new RedisVersion(7, 0, 15));
		assertThat(version.isAtLeast(7)).isTrue();
		assertThat(version.isAtLeast(8)).isFalse();
	}

	@Test
	void ordersVersionsNumerically() {
		assertThat(new RedisVersion(6, 2, 11)).isLessThan(new RedisVersion(7, 0, 0));
		assertThat(new RedisVersion(7, 10, 0)).isGreaterThan(new RedisVersion(7, 2, 4));
	}

	@Test
	void rejectsOutputWithoutAVersion() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisVersion.parse("command not found"));
	}

}
