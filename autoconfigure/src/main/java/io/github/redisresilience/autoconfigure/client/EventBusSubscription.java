package io.github.redisresilience.autoconfigure.client;

import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import io.lettuce.core.event.Event;
import io.lettuce.core.event.EventBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.BaseSubscriber;

/**
 * A listener on Lettuce's event bus that can be stopped from any thread without Reactor logging
 * an error.
 * <p>
 * Lettuce hands its events to listeners with {@code publishOn} its event executor. Cancelling
 * such a subscription from another thread races with an event being handed over: the hand-over
 * then meets the disposed worker, and Reactor logs the rejection as "Operator called default
 * onErrorDropped" at ERROR. So {@link #stop()} only silences the listener, and the subscription
 * cancels itself when the next event reaches it, on the executor's own thread, where nothing
 * races with the cancel. If the client's resources shut down first, the next event's hand-over
 * is rejected and ends the subscription, quietly: that is how it is expected to end.
 */
public final class EventBusSubscription {

	private static final Log logger = LogFactory.getLog(EventBusSubscription.class);

	private final Listener subscriber;

	private EventBusSubscription(Listener subscriber) {
		this.subscriber = subscriber;
	}

	/**
	 * Starts handing the bus's events to a listener, on Lettuce's event executor.
	 * @param bus the client's event bus
	 * @param listener what hears the events; one that throws does not end the subscription
	 * @return the subscription, to stop
	 */
	public static EventBusSubscription listen(EventBus bus, Consumer<Event> listener) {
		Listener subscriber = new Listener(listener);
		bus.get().subscribe(subscriber);
		return new EventBusSubscription(subscriber);
	}

	/**
	 * Stops handing events to the listener, at once; the subscription itself ends with the next
	 * event or when the client's resources shut down.
	 */
	public void stop() {
		this.subscriber.stopped = true;
	}

	/**
	 * Whether the subscription has ended, not only stopped handing events on.
	 * @return {@code true} once cancelled or ended by the bus
	 */
	public boolean hasEnded() {
		return this.subscriber.isDisposed();
	}

	/** A subscriber only this class can cancel, so that nothing cancels it from another thread. */
	private static final class Listener extends BaseSubscriber<Event> {

		private final Consumer<Event> delegate;

		private volatile boolean stopped;

		Listener(Consumer<Event> delegate) {
			this.delegate = delegate;
		}

		@Override
		protected void hookOnNext(Event event) {
			if (this.stopped) {
				cancel();
				return;
			}
			try {
				this.delegate.accept(event);
			}
			catch (RuntimeException ex) {
				// Thrown out of here, it would end the subscription: every later event unheard.
				logger.warn("A listener of the Redis client's events failed on " + event.getClass().getSimpleName(),
						ex);
			}
		}

		@Override
		protected void hookOnError(Throwable error) {
			if (error instanceof RejectedExecutionException) {
				logger.debug("The Redis client's resources shut down; its events end here");
			}
			else {
				logger.warn("The Redis client's event bus failed; its events go unheard from now on", error);
			}
		}

	}

}
