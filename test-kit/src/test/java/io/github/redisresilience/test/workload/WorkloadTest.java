package io.github.redisresilience.test.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workload against an in-memory store: what it records and how it judges it.
 */
class WorkloadTest {

	private static final Duration PACE = Duration.ofMillis(2);

	/** The workload judges recovery in steps of 100 ms. */
	private static final Duration STEP = Duration.ofMillis(100);

	@Test
	void everyAcknowledgedWriteAndIncrementIsInTheLedger() throws Exception {
		Store store = new Store();
		Workload workload = runUntil(Workload.builder(store).threads(2), (running) -> running.outcomes().size() >= 50);
		assertThat(workload.failures()).isZero();
		assertThat(workload.acknowledgedWrites()).isNotEmpty()
			.allSatisfy((key, value) -> assertThat(store.read(key)).isEqualTo(value));
		assertThat(workload.acknowledgedWrites().keySet()).allMatch((key) -> key.startsWith("ledger:{"));
		// An operation under way when the workload stops starts no INCR: at most one per thread.
		assertThat(workload.increments()).hasSizeGreaterThanOrEqualTo(workload.outcomes().size() - 2);
		assertThat(workload.checkIncrements(store::read))
			.isEqualTo(new Workload.IncrementLedger(workload.increments().size(), 0, List.of(), List.of()));
	}

	@Test
	void operationsMadeOfFunctionsReachTheStoreAsTheyAreNamed() throws Exception {
		Store store = new Store();
		Workload workload = runUntil(
				Workload.builder(Workload.Operations.of(store::write, store::read, store::increment)).threads(1),
				(running) -> running.increments().size() >= 5);
		assertThat(workload.failures()).isZero();
		assertThat(workload.acknowledgedWrites()).allSatisfy((key, value) -> assertThat(store.read(key)).isEqualTo(value));
		assertThat(workload.checkIncrements(store::read))
			.isEqualTo(new Workload.IncrementLedger(workload.increments().size(), 0, List.of(), List.of()));
	}

	@Test
	void anIncrementAppliedTwiceIsReportedDoubled() throws Exception {
		Store store = new Store((applied, key) -> {
			applied.apply(key);
			return applied.apply(key);
		});
		Workload workload = runUntil(Workload.builder(store), (running) -> !running.increments().isEmpty());
		Workload.IncrementLedger increments = workload.checkIncrements(store::read);
		assertThat(increments.doubled()).hasSize(workload.increments().size())
			.allMatch((entry) -> entry.endsWith(" answered 2, reads 2"));
		assertThat(increments.lost()).isEmpty();
	}

	@Test
	void anAcknowledgedIncrementMissingAfterwardsIsReportedLost() throws Exception {
		Workload workload = runUntil(Workload.builder(new Store()), (running) -> !running.increments().isEmpty());
		Workload.IncrementLedger increments = workload.checkIncrements((key) -> null);
		assertThat(increments.lost()).hasSize(workload.increments().size())
			.allMatch((entry) -> entry.endsWith(" answered 1, reads 0"));
		assertThat(increments.doubled()).isEmpty();
	}

	@Test
	void aFailedIncrementIsOfUnknownOutcomeAndCountedAtItsStep() throws Exception {
		Store store = new Store((applied, key) -> {
			applied.apply(key);
			throw new IllegalStateException("no answer");
		});
		Workload workload = runUntil(Workload.builder(store), (running) -> running.failures() >= 5);
		assertThat(workload.failures(Workload.Step.INCREMENT)).isEqualTo(workload.failures());
		assertThat(workload.sampleErrors(5)).containsExactly("INCR IllegalStateException: no answer");
		assertThat(workload.checkIncrements(store::read))
			.isEqualTo(new Workload.IncrementLedger(0, workload.failures(), List.of(), List.of()));
	}

	@Test
	void aFailedWriteIsDescribedAsAskedAndNotInTheLedger() throws Exception {
		Store store = new Store() {
			@Override
			public void write(String key, String value) {
				throw new IllegalStateException("down");
			}
		};
		Workload workload = runUntil(Workload.builder(store).describeFailures((ex) -> "described " + ex.getMessage()),
				(running) -> running.failures() >= 5);
		assertThat(workload.failures(Workload.Step.WRITE_OR_READ)).isEqualTo(workload.failures());
		assertThat(workload.sampleErrors(5)).containsExactly("described down");
		assertThat(workload.acknowledgedWrites()).isEmpty();
		assertThat(workload.increments()).isEmpty();
	}

	@Test
	void recoveryIsTheFirstSecondInWhichEveryCompletedOperationSucceeded() throws Exception {
		AtomicBoolean down = new AtomicBoolean(true);
		Store store = new Store() {
			@Override
			public void write(String key, String value) {
				if (down.get()) {
					throw new IllegalStateException("down");
				}
				super.write(key, value);
			}
		};
		try (Workload workload = Workload.builder(store).threads(2).pace(Duration.ofMillis(10)).start()) {
			Instant from = Instant.now();
			await().atMost(Duration.ofSeconds(10)).until(() -> workload.failures() >= 10);
			down.set(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> workload.firstFullySuccessfulSecondAfter(from).isPresent());
			Instant recovered = workload.firstFullySuccessfulSecondAfter(from).orElseThrow();
			Instant lastFailure = lastFailureCompleted(workload);
			assertThat(completedWithin(workload, recovered)).isNotEmpty().allMatch(Workload.Outcome::succeeded);
			assertThat(recovered).as("the first second after the last failure")
				.isAfter(lastFailure.minus(STEP))
				.isBeforeOrEqualTo(lastFailure.plus(STEP));
		}
	}

	@Test
	void anOperationThatStartedBeforeTheHealAndFailsAfterItDelaysRecoveryUntilItCompletes() throws Exception {
		AtomicBoolean stickNext = new AtomicBoolean(true);
		CountDownLatch release = new CountDownLatch(1);
		Store store = stuckOnce(stickNext, release);
		try (Workload workload = Workload.builder(store).threads(2).pace(Duration.ofMillis(10)).start()) {
			Instant from = Instant.now();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !workload.outcomes().isEmpty() && lastCompleted(workload).isAfter(from.plusMillis(1500)));
			try {
				assertThat(workload.firstFullySuccessfulSecondAfter(from)).as("recovery while a thread completes nothing")
					.isEmpty();
			}
			finally {
				release.countDown();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> workload.firstFullySuccessfulSecondAfter(from).isPresent());
			Instant failed = lastFailureCompleted(workload);
			assertThat(workload.firstFullySuccessfulSecondAfter(from).orElseThrow()).as("recovery")
				.isAfter(failed.minus(STEP));
		}
	}

	@Test
	void aSecondInWhichAnOperationThatFailsLaterWasRunningIsNotFullySuccessful() throws Exception {
		AtomicBoolean stickNext = new AtomicBoolean();
		CountDownLatch release = new CountDownLatch(1);
		Store store = stuckOnce(stickNext, release);
		try (Workload workload = Workload.builder(store).threads(2).pace(Duration.ofMillis(10)).start()) {
			Instant from = Instant.now();
			// Both threads complete operations in the first second; then one gets stuck in it.
			await().atMost(Duration.ofSeconds(10)).until(() -> workload.outcomes().size() >= 10);
			stickNext.set(true);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !workload.unfinished().isEmpty() && lastCompleted(workload).isAfter(from.plusMillis(1500)));
			try {
				assertThat(workload.firstFullySuccessfulSecondAfter(from))
					.as("a second in which an operation still running was running").isEmpty();
			}
			finally {
				release.countDown();
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> workload.firstFullySuccessfulSecondAfter(from).isPresent());
			assertThat(workload.firstFullySuccessfulSecondAfter(from).orElseThrow()).as("recovery")
				.isAfter(lastFailureCompleted(workload).minus(STEP));
		}
	}

	private static Instant lastCompleted(Workload workload) {
		return workload.outcomes().stream().map(Workload.Outcome::completed).max(Instant::compareTo).orElseThrow();
	}

	private static Instant lastFailureCompleted(Workload workload) {
		return workload.outcomes()
			.stream()
			.filter((outcome) -> !outcome.succeeded())
			.map(Workload.Outcome::completed)
			.max(Instant::compareTo)
			.orElseThrow();
	}

	private static List<Workload.Outcome> completedWithin(Workload workload, Instant secondStart) {
		return workload.outcomes()
			.stream()
			.filter((outcome) -> !outcome.completed().isBefore(secondStart)
					&& outcome.completed().isBefore(secondStart.plusSeconds(1)))
			.toList();
	}

	/** A store whose next write, once asked, waits for the release and then fails, as a timeout does. */
	private static Store stuckOnce(AtomicBoolean stickNext, CountDownLatch release) {
		return new Store() {
			@Override
			public void write(String key, String value) {
				if (stickNext.compareAndSet(true, false)) {
					waitFor(release);
					throw new IllegalStateException("timed out");
				}
				super.write(key, value);
			}
		};
	}

	private static void waitFor(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void anOperationStuckNowIsUnfinished() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Store store = new Store() {
			@Override
			public void write(String key, String value) {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				super.write(key, value);
			}
		};
		try (Workload workload = Workload.builder(store).threads(1).pace(PACE).start()) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> workload.unfinished().stream().anyMatch((took) -> took.toMillis() >= 100));
			assertThat(workload.outcomes()).isEmpty();
			release.countDown();
		}
	}

	/** Runs a workload at a fast pace until a condition holds, and stops it. */
	private static Workload runUntil(Workload.Builder builder, Predicate<Workload> condition) throws Exception {
		try (Workload workload = builder.pace(PACE).start()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> condition.test(workload));
			return workload;
		}
	}

	/** An in-memory Redis: enough to tell what the workload writes and counts. */
	private static class Store implements Workload.Operations {

		private final Map<String, String> values = new ConcurrentHashMap<>();

		private final BiFunction<Store, String, Long> increment;

		Store() {
			this(Store::apply);
		}

		/**
		 * A store whose {@code INCR} does something else than apply once and answer.
		 * @param increment what {@code INCR} does, given the store to apply it to and the key
		 */
		Store(BiFunction<Store, String, Long> increment) {
			this.increment = increment;
		}

		@Override
		public void write(String key, String value) {
			this.values.put(key, value);
		}

		@Override
		public @Nullable String read(String key) {
			return this.values.get(key);
		}

		@Override
		public long increment(String key) {
			return this.increment.apply(this, key);
		}

		long apply(String key) {
			return Long.parseLong(this.values.merge(key, "1", (old, one) -> Long.toString(Long.parseLong(old) + 1)));
		}

	}

}
