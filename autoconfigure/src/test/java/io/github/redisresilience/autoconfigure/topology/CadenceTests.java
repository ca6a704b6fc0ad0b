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
		cadence.next(Cadence.Mode.STEADY);
		assertThat(cadence.next(Cadence.Mode.STEADY)).isEqualTo(STEADY);
		assertThat(cadence.next(Cadence.Mode.DEGRADED)).isEqualTo(DEGRADED);
		assertThat(cadence.next(Cadence.Mode.SUSPECT)).isEqualTo(SUSPECT);
	}

	@Test
	void jitterSpreadsAFifthEitherWay() {
		assertThat(steadyAfterSteady(0.0)).isEqualTo(Duration.ofSeconds(8));
		assertThat(steadyAfterSteady(0.999999)).isBetween(Duration.ofMillis(11999), Duration.ofSeconds(12));
	}

	@Test
	void firstSteadyWaitIsSpreadOverAWholePeriod() {
		assertThat(new Cadence(STEADY, DEGRADED, SUSPECT, () -> 0.3).next(Cadence.Mode.STEADY))
			.isEqualTo(Duration.ofSeconds(3));
		Cadence cadence = new Cadence(STEADY, DEGRADED, SUSPECT, () -> 0.7);
		cadence.next(Cadence.Mode.STEADY);
		cadence.next(Cadence.Mode.DEGRADED);
		assertThat(cadence.next(Cadence.Mode.STEADY)).as("first after trouble").isEqualTo(Duration.ofSeconds(7));
		assertThat(cadence.next(Cadence.Mode.STEADY)).as("then a period").isEqualTo(Duration.ofMillis(10800));
	}

	@Test
	void firstSteadyWaitIsNeverShorterThanTheDegradedPeriod() {
		Cadence cadence = new Cadence(STEADY, DEGRADED, SUSPECT, () -> 0.0);
		cadence.next(Cadence.Mode.SUSPECT);
		assertThat(cadence.next(Cadence.Mode.STEADY)).isEqualTo(DEGRADED);
	}

	private static Duration steadyAfterSteady(double random) {
		Cadence cadence = new Cadence(STEADY, DEGRADED, SUSPECT, () -> random);
		cadence.next(Cadence.Mode.STEADY);
		return cadence.next(Cadence.Mode.STEADY);
	}

}
