package io.github.redisresilience.autoconfigure.retry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenScript}: the bytes a counter command goes out as.
 */
class TokenScriptTests {

	private final TokenScript script = new TokenScript(EnumSet.of(ExactlyOnceCommand.INCRBY), Duration.ofSeconds(60));

	@Test
	void incrByGoesOutAsEvalShaWithTheTokenKeyFirstAndTtlAndNameLast() {
		Command<byte[], byte[], Long> command = incrBy("counter", 5);
		byte[] tokenKey = this.script.tokenKeyFor(command);
		assertThat(new String(tokenKey, StandardCharsets.US_ASCII)).startsWith("__eo:{counter}:");
		assertThat(encode(command, tokenKey, false)).isEqualTo("*8\r\n$7\r\nEVALSHA\r\n$40\r\n" + TokenScript.SHA
				+ "\r\n$1\r\n2\r\n$" + tokenKey.length + "\r\n" + new String(tokenKey, StandardCharsets.US_ASCII)
				+ "\r\n$7\r\ncounter\r\n$1\r\n5\r\n$5\r\n60000\r\n$6\r\nINCRBY\r\n");
	}

	@Test
	void afterNoScriptTheSourceIsSent() {
		Command<byte[], byte[], Long> command = incrBy("counter", 5);
		byte[] tokenKey = this.script.tokenKeyFor(command);
		assertThat(encode(command, tokenKey, true)).startsWith("*8\r\n$4\r\nEVAL\r\n$" + TokenScript.SCRIPT.length())
			.contains(TokenScript.SCRIPT);
	}

	@Test
	void commandsNotListedAndKeysWithoutASharedSlotAreSentAsTheyAre() {
		assertThat(this.script.tokenKeyFor(new Command<>(CommandType.INCR,
				new IntegerOutput<>(ByteArrayCodec.INSTANCE), args("counter")))).isNull();
		assertThat(this.script.tokenKeyFor(incrBy("a{}b", 1))).isNull();
	}

	@Test
	void tokenKeyOfAPlainKeyIsInItsSlot() {
		byte[] key = "plain".getBytes(StandardCharsets.UTF_8);
		byte[] tokenKey = TokenScript.tokenKey(key);
		assertThat(new String(tokenKey, StandardCharsets.US_ASCII)).startsWith("__eo:{plain}:");
		assertThat(SlotHash.getSlot(tokenKey)).isEqualTo(SlotHash.getSlot(key));
	}

	@Test
	void tokenKeyOfAHashTaggedKeyUsesItsTag() {
		byte[] key = "user:{42}:visits".getBytes(StandardCharsets.UTF_8);
		byte[] tokenKey = TokenScript.tokenKey(key);
		assertThat(new String(tokenKey, StandardCharsets.US_ASCII)).startsWith("__eo:{42}:");
		assertThat(SlotHash.getSlot(tokenKey)).isEqualTo(SlotHash.getSlot(key));
	}

	@Test
	void eachCallHasItsOwnToken() {
		byte[] key = "plain".getBytes(StandardCharsets.UTF_8);
		assertThat(TokenScript.tokenKey(key)).isNotEqualTo(TokenScript.tokenKey(key));
	}

	private static Command<byte[], byte[], Long> incrBy(String key, long by) {
		return new Command<>(CommandType.INCRBY, new IntegerOutput<>(ByteArrayCodec.INSTANCE), args(key).add(by));
	}

	private static CommandArgs<byte[], byte[]> args(String key) {
		return new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(key.getBytes(StandardCharsets.UTF_8));
	}

	private String encode(Command<byte[], byte[], Long> command, byte[] tokenKey, boolean withSource) {
		ByteBuf buf = Unpooled.buffer();
		try {
			this.script.encode(buf, command, tokenKey, withSource);
			return buf.toString(StandardCharsets.UTF_8);
		}
		finally {
			buf.release();
		}
	}

}
