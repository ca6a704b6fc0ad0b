package io.github.redisresilience.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisServerBinaryTest {

	@Test
	void bundledBinaryIsRedis62AndRuns() {
		RedisServerBinary bundled = RedisServerBinary.inspect(RedisServerBinary.extractBundled(), "bundled embedded-redis");

		assertThat(bundled.version().major()).isEqualTo(6);
		assertThat(bundled.version().minor()).isEqualTo(2);
		assertThat(bundled.isAtLeast(7)).isFalse();
	}

	@Test
	void theBinaryInUseReportsWhereItCameFrom() {
		RedisServerBinary binary = RedisServerBinary.get();

		assertThat(binary.source()).isNotBlank();
		assertThat(binary.path()).isExecutable();
	}

}
