package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LookScheduleTests {

	private static final Duration LATER = Duration.ofMinutes(10);

	private final AtomicInteger looks = new AtomicInteger();

	private final LookSchedule schedule = new LookSchedule(this.looks::incrementAndGet, () -> LATER);

	@AfterEach
	void stop() {
		this.schedule.end(this.schedule.halt());
	}

	@Test
	void nothingIsScheduledBeforeTheStart() {
		this.schedule.lookIn(Duration.ZERO);

		assertThat(this.schedule.isRunning()).isFalse();
		assertThat(this.schedule.completion()).as("answers are handled on the caller's thread").isNotNull();
		assertThat(this.schedule.executor()).isNull();
	}

	@Test
	void soonerLookReplacesThePendingOne() {
		this.schedule.start();
		this.schedule.lookIn(LATER);

		this.schedule.lookIn(Duration.ZERO);

		await().atMost(Duration.ofSeconds(5)).until(() -> this.looks.get() == 1);
	}

	@Test
	void laterLookDoesNotPostponeThePendingOne() {
		this.schedule.start();
		this.schedule.lookIn(Duration.ofMillis(50));

		this.schedule.lookIn(LATER);

		await().atMost(Duration.ofSeconds(5)).until(() -> this.looks.get() == 1);
	}

	@Test
	void failingLookStillSchedulesTheNext() {
		AtomicInteger asked = new AtomicInteger();
		LookSchedule failing = new LookSchedule(() -> {
			throw new IllegalStateException("look failed");
		}, () -> {
			asked.incrementAndGet();
			return Duration.ZERO;
		});
		failing.start();
		try {
			failing.lookIn(Duration.ZERO);
			await().atMost(Duration.ofSeconds(5)).until(() -> asked.get() >= 2);
		}
		finally {
			failing.end(failing.halt());
		}
	}

	@Test
	void haltedScheduleTakesNoMoreLooks() {
		this.schedule.start();
		this.schedule.lookIn(Duration.ofMillis(50));

		this.schedule.end(this.schedule.halt());
		this.schedule.lookIn(Duration.ZERO);

		assertThat(this.schedule.isRunning()).isFalse();
		assertThat(this.looks).hasValue(0);
	}

	@Test
	void restartedScheduleLooksAgain() {
		this.schedule.start();
		this.schedule.lookIn(LATER);
		this.schedule.end(this.schedule.halt());

		this.schedule.start();
		this.schedule.lookIn(Duration.ZERO);

		await().atMost(Duration.ofSeconds(5)).until(() -> this.looks.get() == 1);
	}

}
