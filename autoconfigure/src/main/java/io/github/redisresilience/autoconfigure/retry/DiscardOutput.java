package io.github.redisresilience.autoconfigure.retry;

import java.nio.ByteBuffer;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

/**
 * Where the reply of a retired attempt goes: a frozen master that wakes up answers a command
 * whose caller has since been served by a later attempt, and that reply must not reach the
 * caller's output, which the later attempt filled.
 */
final class DiscardOutput extends CommandOutput<byte[], byte[], Object> {

	DiscardOutput() {
		super(ByteArrayCodec.INSTANCE, null);
	}

	@Override
	public void set(ByteBuffer bytes) {
	}

	@Override
	public void set(long integer) {
	}

	@Override
	public void set(double number) {
	}

	@Override
	public void set(boolean value) {
	}

	@Override
	public void setError(ByteBuffer error) {
	}

	@Override
	public void setError(String error) {
	}

	@Override
	public void multi(int count) {
	}

}
