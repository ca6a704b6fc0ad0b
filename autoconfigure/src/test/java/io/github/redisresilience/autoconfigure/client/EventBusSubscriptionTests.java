package io.github.redisresilience.autoconfigure.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.event.DefaultEventBus;
import io.lettuce.core.event.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lettuce's own event bus, on a scheduler that can hold an event's hand-over at the moment the
 * race with a stop happens, so the race is played out every time instead of once in many
 * shutdowns.
 */
@ExtendWith(OutputCaptureExtension.class)
class EventBusSubscriptionTests {

	private static final String DROPPED = "onErrorDropped";

	private final HoldingScheduler scheduler = new HoldingScheduler();

	private final DefaultEventBus bus = new DefaultEventBus(this.scheduler);

	private final List<Event> heard = new CopyOnWriteArrayList<>();

	@AfterEach
	void shutDown() {
		this.scheduler.executor.shutdownNow();
	}

	/**
	 * The control: what happened before this class, a plain subscription disposed while an event
	 * is handed over, is reported by Reactor as an error. Without it the next test proves nothing.
	 */
	@Test
	void disposingAPlainSubscriptionDuringAHandOverLogsAnError(CapturedOutput output) throws Exception {
		Disposable subscription = this.bus.get().subscribe(this.heard::add);
		handOverHeldWhile(subscription::dispose);
		assertThat(output.getOut()).contains(DROPPED);
	}

	@Test
	void stoppingDuringAHandOverLogsNothingAndTheListenerHearsNothingMore(CapturedOutput output) throws Exception {
		EventBusSubscription subscription = EventBusSubscription.listen(this.bus, this.heard::add);
		Event before = new TestEvent();
		this.bus.publish(before);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.heard.contains(before));
		handOverHeldWhile(subscription::stop);
		await("the subscription ends with the event after the stop").atMost(Duration.ofSeconds(5))
			.until(subscription::hasEnded);
		this.bus.publish(new TestEvent());
		assertThat(this.heard).containsExactly(before);
		assertThat(output.getOut()).doesNotContain(DROPPED).doesNotContain("ERROR").doesNotContain("WARN");
	}

	@Test
	void resourcesShuttingDownEndTheSubscriptionQuietly(CapturedOutput output) throws Exception {
		EventBusSubscription subscription = EventBusSubscription.listen(this.bus, this.heard::add);
		this.scheduler.idle();
		this.scheduler.shutDown = true;
		this.bus.publish(new TestEvent());
		assertThat(subscription.hasEnded()).isTrue();
		assertThat(this.heard).isEmpty();
		assertThat(output.getOut()).doesNotContain(DROPPED).doesNotContain("ERROR").doesNotContain("WARN");
	}

	@Test
	void aListenerThatThrowsHearsTheNextEventToo(CapturedOutput output) {
		EventBusSubscription.listen(this.bus, (event) -> {
			this.heard.add(event);
			if (this.heard.size() == 1) {
				throw new IllegalStateException("first event");
			}
		});
		this.bus.publish(new TestEvent());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.heard.size() == 1);
		this.bus.publish(new TestEvent());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.heard.size() == 2);
		assertThat(output.getOut()).contains("A listener of the Redis client's events failed on TestEvent");
	}

	/**
	 * Publishes an event from a thread of its own, as Lettuce does from an event loop, holds its
	 * hand-over to the executor, runs the given step meanwhile, then lets the hand-over go on.
	 */
	private void handOverHeldWhile(Runnable step) throws Exception {
		this.scheduler.idle();
		this.scheduler.holdNext = true;
		Thread publisher = new Thread(() -> this.bus.publish(new TestEvent()), "event-loop");
		publisher.start();
		assertThat(this.scheduler.held.await(5, TimeUnit.SECONDS)).as("the hand-over is held").isTrue();
		step.run();
		this.scheduler.release.countDown();
		publisher.join(TimeUnit.SECONDS.toMillis(5));
		assertThat(publisher.isAlive()).as("the publisher is done").isFalse();
	}

	private static final class TestEvent implements Event {

	}

	/** Runs hand-overs on one thread, like Lettuce's event executor. */
	private static final class HoldingScheduler implements Scheduler {

		final ExecutorService executor = Executors.newSingleThreadExecutor();

		final CountDownLatch held = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		volatile boolean holdNext;

		/** As the executor of client resources that have shut down: every hand-over is rejected. */
		volatile boolean shutDown;

		@Override
		public Disposable schedule(Runnable task) {
			return submit(task);
		}

		/**
		 * Waits until the executor has run all it was handed: then the next event is handed over
		 * anew ({@code publishOn} hands over nothing while its last hand-over is still running).
		 */
		void idle() throws Exception {
			this.executor.submit(() -> {
			}).get(5, TimeUnit.SECONDS);
		}

		@Override
		public Worker createWorker() {
			return new HoldingWorker();
		}

		private Disposable submit(Runnable task) {
			if (this.shutDown) {
				throw new RejectedExecutionException("resources shut down");
			}
			Future<?> future = this.executor.submit(task);
			return () -> future.cancel(false);
		}

		private final class HoldingWorker implements Worker {

			private volatile boolean disposed;

			@Override
			public Disposable schedule(Runnable task) {
				if (HoldingScheduler.this.holdNext) {
					HoldingScheduler.this.holdNext = false;
					HoldingScheduler.this.held.countDown();
					try {
						HoldingScheduler.this.release.await(5, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				if (this.disposed) {
					throw new RejectedExecutionException("worker disposed");
				}
				return submit(task);
			}

			@Override
			public void dispose() {
				this.disposed = true;
			}

			@Override
			public boolean isDisposed() {
				return this.disposed;
			}

		}

	}

}
