package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CadenceTests {

	private static final Duration STEADY = Duration.ofSeconds(10);

	private static final Duration DEGRADED = Duration.ofMillis(500);

	private static final Duration SUSPECT = Duration.ofMillis(100);

	@Test
	void eachModeHasItsPeriod() {
		Cadence cadence = new Cadence(STEADY, DEGRADED, SUSPECT, () -> 0.5);
		assertThat(cadence.next(Cadence.Mode.STEADY)).isEqualTo(STEADY);
		assertThat(cadence.next(Cadence.Mode.DEGRADED)).isEqualTo(DEGRADED);
		assertThat(cadence.next(Cadence.Mode.SUSPECT)).isEqualTo(SUSPECT);
	}

	@Test
	void jitterSpreadsAFifthEitherWay() {
		assertThat(new Cadence(STEADY, DEGRADED, SUSPECT, () -> 0.0).next(Cadence.Mode.STEADY))
			.isEqualTo(Duration.ofSeconds(8));
		assertThat(new Cadence(STEADY, DEGRADED, SUSPECT, () -> 0.999999).next(Cadence.Mode.STEADY))
			.isBetween(Duration.ofMillis(11999), Duration.ofSeconds(12));
	}

}
