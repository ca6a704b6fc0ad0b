package io.github.redisresilience.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class TlsSupportTest {

	@Test
	void aRedisServerBuiltWithoutTlsIsNamedWithTheFix(@TempDir Path directory) throws IOException {
		// What such a binary prints for the probe's first TLS directive.
		Path binary = script(directory, "echo '*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***'; "
				+ "echo \"Bad directive or wrong number of arguments\"; exit 1");

		String reason = TlsSupport.probe(new RedisServerBinary(binary, RedisVersion.parse("Redis server v=7.0.15"), "test"));

		assertThat(reason).contains(binary.toString())
			.contains("without TLS")
			.contains("Bad directive")
			.contains(RedisServerBinary.BINARY_PROPERTY);
	}

	@Test
	void aServerThatStartsButNeverAnswersOverTlsIsNotTakenForOneWithout(@TempDir Path directory) throws IOException {
		// Starts, accepts the directives, then answers nothing: a timeout, said as such.
		Path binary = script(directory, "exec sleep 60");

		String reason = TlsSupport.probe(new RedisServerBinary(binary, RedisVersion.parse("Redis server v=7.0.15"), "test"));

		assertThat(reason).contains("did not answer PING over TLS within").doesNotContain("without TLS");
	}

	@Test
	void theKitsServerAnswersPingOverTls() {
		RedisServerBinary binary = RedisServerBinary.get();
		String reason = TlsSupport.probe(binary);
		RequiredCapabilities.assumeOrFail("tls", reason == null, () -> String.valueOf(reason));

		assertThat(reason).isNull();
	}

	private static Path script(Path directory, String body) throws IOException {
		Path script = directory.resolve("redis-server");
		Files.writeString(script, "#!/bin/sh\n" + body + "\n");
		script.toFile().setExecutable(true);
		return script;
	}

}
