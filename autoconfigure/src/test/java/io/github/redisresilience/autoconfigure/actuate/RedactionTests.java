package io.github.redisresilience.autoconfigure.actuate;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTests {

	@Test
	void removesTheUserNameLettuceKeepsInUriText() {
		RedisURI uri = RedisURI.builder().withHost("redis-0").withPort(6379).withAuthentication("app-user", "pw").build();
		String message = Redaction.describe(new RedisConnectionException("Unable to connect to " + uri));
		assertThat(message).doesNotContain("app-user").doesNotContain("pw").endsWith("redis://redis-0");
	}

	@Test
	void removesUserInfoFromEveryUriInAList() {
		assertThat(Redaction.redact("seeds [rediss://u:***@a:1, redis://b:2, redis://:***@c:3]"))
			.isEqualTo("seeds [rediss://a:1, redis://b:2, redis://c:3]");
	}

	@Test
	void leavesTextWithoutUrisAlone() {
		assertThat(Redaction.redact("Connection refused: /10.0.0.1:6379")).isEqualTo("Connection refused: /10.0.0.1:6379");
	}

}
