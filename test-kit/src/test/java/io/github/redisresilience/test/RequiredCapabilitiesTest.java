package io.github.redisresilience.test;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RequiredCapabilitiesTest {

	@Test
	void namesAreReadCommaSeparatedAndCaseInsensitive() {
		assertThat(RequiredCapabilities.parse(" 7, TLS ,iptables,,valkey")).containsExactly("7", "tls", "iptables", "valkey");
		assertThat(RequiredCapabilities.parse(null)).isEmpty();
	}

	@Test
	void aMissingCapabilitySkipsWhenNotRequiredAndFailsWithTheReasonWhenRequired() {
		String previous = System.setProperty(RequiredCapabilities.PROPERTY, "tls");
		try {
			assertThatIllegalStateException()
				.isThrownBy(() -> RequiredCapabilities.check("tls", false, () -> "no openssl"))
				.withMessageContaining("requires 'tls'")
				.withMessageContaining("redis.require")
				.withMessageContaining("no openssl");
			assertThatExceptionOfType(TestAbortedException.class)
				.isThrownBy(() -> RequiredCapabilities.check("browser", false, () -> "no chromium"))
				.withMessage("no chromium");
			RequiredCapabilities.check("tls", true, () -> "unused");
		}
		finally {
			restore(previous);
		}
	}

	@Test
	void aRequiredServerOrVersionFailsAnotherBinary() {
		RedisServerBinary redis62 = new RedisServerBinary(Path.of("/usr/bin/redis-server"),
				RedisVersion.parse("v=6.2.6"), "test", "redis");

		assertThatIllegalStateException().isThrownBy(() -> redis62.checkRequired(Set.of("7")))
			.withMessageContaining("requires '7'")
			.withMessageContaining("redis 6.2.6");
		assertThatIllegalStateException().isThrownBy(() -> redis62.checkRequired(Set.of("valkey")))
			.withMessageContaining("requires 'valkey'");
		redis62.checkRequired(Set.of("6", "redis", "tls"));
	}

	private static void restore(String previous) {
		if (previous == null) {
			System.clearProperty(RequiredCapabilities.PROPERTY);
		}
		else {
			System.setProperty(RequiredCapabilities.PROPERTY, previous);
		}
	}

}
