package io.github.redisresilience.autoconfigure.logging;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ReconnectTroubleLogTests {

	private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");

	private final MutableClock clock = new MutableClock();

	private final ReconnectTroubleLog log = new ReconnectTroubleLog(() -> null, SimpleAsyncTaskScheduler::new,
			Duration.ofSeconds(3), this.clock, 1);

	@Test
	void firstFailureIsOneWarningWithoutStackTrace(CapturedOutput output) {
		this.log.failed("127.0.0.9:6379", new RuntimeException("connect", new IOException("Connection refused")));
		this.log.failed("127.0.0.9:6379", new IOException("Connection refused"));
		this.log.failed("127.0.0.8:6379", new IOException("Connection refused"));
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("Redis connections are failing, reconnecting (first: 127.0.0.9:6379, IOException: Connection refused)");
		assertThat(output.getOut()).doesNotContain("\tat ");
	}

	@Test
	void summaryComesOnceNoReconnectFailedForTheQuietPeriod(CapturedOutput output) {
		this.log.failed("127.0.0.9:6379", new IOException("Connection refused"));
		this.clock.advance(Duration.ofMillis(1500));
		this.log.failed("127.0.0.8:6379", new IOException("Connection refused"));
		this.clock.advance(Duration.ofSeconds(2));
		this.log.check();
		assertThat(output.getOut()).doesNotContain("recovered");
		this.clock.advance(Duration.ofSeconds(1));
		this.log.check();
		assertThat(output.getOut()).contains("Redis connections recovered: 2 reconnect attempts to 2 addresses failed "
				+ "(127.0.0.8:6379, 127.0.0.9:6379), the last 1500 ms after the first");
	}

	@Test
	void failuresAfterASummaryOpenANewEpisode(CapturedOutput output) {
		this.log.failed("127.0.0.9:6379", null);
		this.clock.advance(Duration.ofSeconds(5));
		this.log.check();
		this.log.failed("127.0.0.7:6379", null);
		assertThat(output.getOut().lines().filter((line) -> line.contains("are failing"))).hasSize(2);
	}

	private static final class MutableClock extends Clock {

		private Instant now = START;

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
