package io.github.redisresilience.sample.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficRecorderTests {

	private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

	@Test
	void countsOperationsAndFailuresInTheSecondTheyCompleted() {
		TrafficRecorder recorder = recorderAt(T0.plusSeconds(3));
		recorder.record(T0.plusMillis(100), Duration.ofMillis(5), null);
		recorder.record(T0.plusMillis(900), Duration.ofSeconds(2), "QueryTimeoutException");
		recorder.record(T0.plusMillis(1100), Duration.ofMillis(5), null);
		assertThat(recorder.lastSeconds(4)).extracting(TrafficRecorder.Second::operations).containsExactly(1L, 1L, 1L, 0L);
		assertThat(recorder.lastSeconds(4).get(2).failures()).isOne();
		assertThat(recorder.between(T0, T0.plusSeconds(2))).isEqualTo(new TrafficRecorder.Totals(2, 0));
		assertThat(recorder.between(T0.plusSeconds(2), T0.plusSeconds(3))).isEqualTo(new TrafficRecorder.Totals(1, 1));
		assertThat(recorder.total()).isEqualTo(new TrafficRecorder.Totals(3, 1));
		assertThat(recorder.lastError()).isEqualTo("QueryTimeoutException");
	}

	@Test
	void cleanSecondAfterAnInstantStartsAfterIt() {
		TrafficRecorder recorder = recorderAt(T0.plusSeconds(30));
		recorder.record(T0.plusMillis(200), Duration.ofMillis(5), null);
		recorder.record(T0.plusMillis(1200), Duration.ofMillis(5), "failed");
		recorder.record(T0.plusMillis(2200), Duration.ofMillis(5), null);
		assertThat(recorder.firstCleanSecondAfter(T0.plusMillis(100))).isEqualTo(T0.plusSeconds(2));
	}

	@Test
	void anOperationThatStartedBeforeAnInstantAndFailedAfterItDelaysTheCleanSecond() {
		TrafficRecorder recorder = recorderAt(T0.plusSeconds(30));
		recorder.record(T0.plusMillis(500), Duration.ofSeconds(1), "QueryTimeoutException");
		recorder.record(T0.plusMillis(1200), Duration.ofMillis(5), null);
		recorder.record(T0.plusMillis(2200), Duration.ofMillis(5), null);
		assertThat(recorder.firstCleanSecondAfter(T0.plusSeconds(1))).isEqualTo(T0.plusSeconds(2));
	}

	@Test
	void cleanSecondIsNotReportedBeforeItsSlowOperationsCouldHaveFinished() {
		TrafficRecorder recorder = recorderAt(T0.plusSeconds(1).plus(TrafficRecorder.SETTLE).minusMillis(1));
		recorder.record(T0.plusMillis(200), Duration.ofMillis(5), null);
		assertThat(recorder.firstCleanSecondAfter(T0)).isNull();
	}

	private static TrafficRecorder recorderAt(Instant now) {
		return new TrafficRecorder(Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(10));
	}

}
