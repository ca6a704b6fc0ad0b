package io.github.redisresilience.autoconfigure.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TroubleWindowTests {

	private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

	private final TopologyCounters counters = new TopologyCounters();

	@Test
	void closedUntilTroubleIsSeen() {
		assertThat(window(NOW).isOpen()).isFalse();
	}

	@Test
	void openForTheWindowAfterTheLastSign() {
		TroubleWindow window = new TroubleWindow(Duration.ofMillis(1500), Clock.fixed(NOW, ZoneOffset.UTC), this.counters);
		window.seen(TopologyCounters.Sign.RECONNECT);
		assertThat(window.isOpen()).isTrue();
	}

	@Test
	void closesOneAndAHalfSecondsAfterTheLastSign() {
		MutableClock clock = new MutableClock(NOW);
		TroubleWindow window = new TroubleWindow(Duration.ofMillis(1500), clock, this.counters);
		window.seen(TopologyCounters.Sign.RECONNECT);
		clock.now = NOW.plusMillis(1000);
		window.seen(TopologyCounters.Sign.COMMAND_TIMEOUT);
		clock.now = NOW.plusMillis(2400);
		assertThat(window.isOpen()).isTrue();
		clock.now = NOW.plusMillis(2501);
		assertThat(window.isOpen()).isFalse();
	}

	@Test
	void everySignIsCountedByKind() {
		TroubleWindow window = window(NOW);
		window.seen(TopologyCounters.Sign.RECONNECT);
		window.seen(TopologyCounters.Sign.RECONNECT);
		window.seen(TopologyCounters.Sign.SUSPECT);
		assertThat(this.counters.signs(TopologyCounters.Sign.RECONNECT)).isEqualTo(2);
		assertThat(this.counters.signs(TopologyCounters.Sign.SUSPECT)).isEqualTo(1);
		assertThat(this.counters.signs(TopologyCounters.Sign.COMMAND_TIMEOUT)).isZero();
	}

	private TroubleWindow window(Instant now) {
		return new TroubleWindow(Duration.ofMillis(1500), Clock.fixed(now, ZoneOffset.UTC), this.counters);
	}

}
