package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FallbackRefreshesTests {

	private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final FallbackRefreshes fallbacks = new FallbackRefreshes(Duration.ofSeconds(10), this.clock);

	@Test
	void aFullRefreshRunsAfterTwoSeedReadsFailedInARow() {
		assertThat(this.fallbacks.seedReadFailed()).isFalse();
		assertThat(this.fallbacks.seedReadFailed()).isTrue();
	}

	@Test
	void anAnsweredSeedReadStartsTheCountAgain() {
		this.fallbacks.seedReadFailed();
		this.fallbacks.seedReadAnswered();
		assertThat(this.fallbacks.seedReadFailed()).isFalse();
		assertThat(this.fallbacks.seedReadFailed()).isTrue();
	}

	@Test
	void eachFullRefreshNeedsTwoNewSeedFailures() {
		this.clock.advance(Duration.ofMinutes(1));
		failTwice();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.fallbacks.seedReadFailed()).as("the first failure after a fallback").isFalse();
		assertThat(this.fallbacks.seedReadFailed()).as("the second").isTrue();
	}

	@Test
	void fullRefreshesOfOneEpisodeAreSpacedByDoublingGapsUpToThePeriod() {
		// Seeds failing all the time, a look every 100 ms: the refreshes that run, by when.
		StringBuilder ran = new StringBuilder();
		for (int look = 0; look < 600; look++) {
			if (this.fallbacks.seedReadFailed()) {
				ran.append(Duration.between(NOW, this.clock.instant()).toMillis()).append(' ');
			}
			this.clock.advance(Duration.ofMillis(100));
		}
		// 1 s, 2 s, 4 s, 8 s, then every 10 s (the period): 9 in 60 s, not 300.
		assertThat(ran.toString().trim()).isEqualTo("100 1100 3100 7100 15100 25100 35100 45100 55100");
	}

	@Test
	void calmStartsTheNextEpisodeAtOnce() {
		failTwice();
		this.fallbacks.calm();
		this.fallbacks.seedReadFailed();
		assertThat(this.fallbacks.seedReadFailed()).isTrue();
	}

	@Test
	void withoutSeedsEveryLookMayAskButTheGapsHold() {
		assertThat(this.fallbacks.noSeeds()).isTrue();
		this.clock.advance(Duration.ofMillis(999));
		assertThat(this.fallbacks.noSeeds()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.fallbacks.noSeeds()).isTrue();
	}

	@Test
	void aPeriodShorterThanTheFirstGapStillSpacesThem() {
		FallbackRefreshes fast = new FallbackRefreshes(Duration.ofMillis(200), this.clock);
		assertThat(fast.noSeeds()).isTrue();
		this.clock.advance(Duration.ofMillis(500));
		assertThat(fast.noSeeds()).isFalse();
		this.clock.advance(Duration.ofMillis(500));
		assertThat(fast.noSeeds()).isTrue();
	}

	private void failTwice() {
		this.fallbacks.seedReadFailed();
		assertThat(this.fallbacks.seedReadFailed()).isTrue();
	}

}
