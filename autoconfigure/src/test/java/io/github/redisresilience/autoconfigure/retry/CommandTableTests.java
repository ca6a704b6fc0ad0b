package io.github.redisresilience.autoconfigure.retry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that Redis commands, by the name Lettuce gives their type, resolve to what repeating
 * them would do.
 */
class CommandTableTests {

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource({ "GET, READ_ONLY", "get, READ_ONLY", "HGETALL, READ_ONLY", "ZRANGE, READ_ONLY", "XREAD, READ_ONLY",
			"SET, IDEMPOTENT_WRITE", "HSET, IDEMPOTENT_WRITE", "DEL, IDEMPOTENT_WRITE", "EXPIRE, IDEMPOTENT_WRITE",
			"INCR, WRITE", "LPUSH, WRITE", "SETNX, WRITE", "GETSET, WRITE", "HINCRBY, WRITE", "EVALSHA, WRITE",
			"SOMEMODULE.ADD, WRITE", "BLPOP, NEVER_RETRIED", "MULTI, NEVER_RETRIED", "EXEC, NEVER_RETRIED",
			"SUBSCRIBE, NEVER_RETRIED", "CLUSTER, NEVER_RETRIED", "WAIT, NEVER_RETRIED" })
	void commandsResolveToWhatRepeatingThemWouldDo(String command, CommandKind kind) {
		assertThat(CommandTable.kind(command)).isEqualTo(kind);
	}

}
