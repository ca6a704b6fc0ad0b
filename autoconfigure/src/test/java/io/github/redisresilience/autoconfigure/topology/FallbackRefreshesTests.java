package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FallbackRefreshesTests {

	private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

	private static final Duration PERIOD = Duration.ofSeconds(10);

	private final MutableClock clock = new MutableClock(NOW);

	private final FallbackRefreshes fallbacks = new FallbackRefreshes(PERIOD, this.clock);

	@Test
	void nothingRunsWhileSomethingAnsweredWithinTheRefreshPeriod() {
		this.clock.advance(PERIOD.minusMillis(1));
		assertThat(this.fallbacks.due()).as("the episode is young").isFalse();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.fallbacks.due()).as("a period without an answer").isTrue();
	}

	@Test
	void anAnswerStartsThePatienceAgain() {
		this.clock.advance(PERIOD.multipliedBy(3));
		this.fallbacks.answered();
		this.clock.advance(PERIOD.minusMillis(1));
		assertThat(this.fallbacks.due()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.fallbacks.due()).isTrue();
	}

	@Test
	void fullRefreshesOfALongOutageAreSpacedByDoublingGapsUpToFourPeriods() {
		// Nothing answers for 100 s, a look every 500 ms: the refreshes that run, by when.
		StringBuilder ran = new StringBuilder();
		for (int look = 0; look < 200; look++) {
			if (this.fallbacks.due()) {
				ran.append(Duration.between(NOW, this.clock.instant()).toSeconds()).append(' ');
			}
			this.clock.advance(Duration.ofMillis(500));
		}
		// After 10 s without an answer, then 10, 20 and 40 s later: 4 in 100 s, not 180.
		assertThat(ran.toString().trim()).isEqualTo("10 20 40 80");
	}

	@Test
	void calmStartsTheNextEpisodesPatienceAfresh() {
		this.clock.advance(PERIOD);
		assertThat(this.fallbacks.due()).isTrue();
		this.fallbacks.calm();
		this.clock.advance(PERIOD.minusMillis(1));
		assertThat(this.fallbacks.due()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.fallbacks.due()).as("no gap left over from the last episode").isTrue();
	}

}
