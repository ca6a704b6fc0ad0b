package io.github.redisresilience.autoconfigure.logging;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

import io.github.redisresilience.autoconfigure.client.EventBusSubscription;

/**
 * Says in two lines what Lettuce says once per failed reconnect (turned down by
 * {@link LettuceLogLevels}): a WARN when connections start failing, and an INFO once no
 * reconnect has failed for a quiet period, with how many failed, to which addresses, and how
 * long after the first the last one came.
 */
final class ReconnectTroubleLog implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ReconnectTroubleLog.class);

	/** How many addresses a line names; the count covers the rest. */
	private static final int ADDRESSES_SHOWN = 6;

	private final Supplier<@Nullable AbstractRedisClient> clientSupplier;

	private final Supplier<SimpleAsyncTaskScheduler> schedulerSupplier;

	private final Duration quiet;

	private final Clock clock;

	private final int phase;

	private volatile @Nullable EventBusSubscription subscription;

	/** Made from Spring Boot's task scheduler builder: named threads, virtual where Boot uses them. */
	private volatile @Nullable SimpleAsyncTaskScheduler scheduler;

	private @Nullable Episode episode;

	ReconnectTroubleLog(Supplier<@Nullable AbstractRedisClient> clientSupplier,
			Supplier<SimpleAsyncTaskScheduler> schedulerSupplier, Duration quiet, Clock clock, int phase) {
		this.clientSupplier = clientSupplier;
		this.schedulerSupplier = schedulerSupplier;
		this.quiet = quiet;
		this.clock = clock;
		this.phase = phase;
	}

	@Override
	public synchronized void start() {
		AbstractRedisClient client = this.clientSupplier.get();
		if (client == null || this.subscription != null) {
			return;
		}
		this.scheduler = this.schedulerSupplier.get();
		this.subscription = EventBusSubscription.listen(client.getResources().eventBus(), this::onEvent);
	}

	@Override
	public synchronized void stop() {
		EventBusSubscription current = this.subscription;
		if (current != null) {
			current.stop();
		}
		this.subscription = null;
		SimpleAsyncTaskScheduler executor = this.scheduler;
		if (executor != null) {
			executor.close();
		}
		this.scheduler = null;
		this.episode = null;
	}

	@Override
	public boolean isRunning() {
		return this.subscription != null;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	void onEvent(Event event) {
		if (event instanceof ReconnectFailedEvent failed) {
			failed(address(failed.remoteAddress()), failed.getCause());
		}
	}

	synchronized void failed(String address, @Nullable Throwable cause) {
		Instant now = this.clock.instant();
		Episode current = this.episode;
		if (current == null) {
			current = new Episode(now);
			this.episode = current;
			logger.warn("Redis connections are failing, reconnecting (first: " + address + ", "
					+ describe(cause) + "); the starter summarises Lettuce's reconnect warnings once they stop");
			scheduleCheck(this.quiet);
		}
		current.failed(now, address);
	}

	/** Ends the episode once no reconnect has failed for the quiet period. */
	synchronized void check() {
		Episode current = this.episode;
		if (current == null) {
			return;
		}
		Duration sinceLast = Duration.between(current.last, this.clock.instant());
		if (sinceLast.compareTo(this.quiet) < 0) {
			scheduleCheck(this.quiet.minus(sinceLast));
			return;
		}
		this.episode = null;
		logger.info("Redis connections recovered: " + current.failures + " reconnect attempts to "
				+ current.addresses.size() + " addresses failed (" + shown(current.addresses) + "), the last "
				+ Duration.between(current.first, current.last).toMillis() + " ms after the first");
	}

	private void scheduleCheck(Duration delay) {
		SimpleAsyncTaskScheduler executor = this.scheduler;
		if (executor != null && executor.isActive()) {
			executor.schedule(this::check, Instant.now().plus(delay));
		}
	}

	@Nullable SimpleAsyncTaskScheduler scheduler() {
		return this.scheduler;
	}

	private static String shown(Set<String> addresses) {
		String listed = String.join(", ", addresses.stream().limit(ADDRESSES_SHOWN).toList());
		return (addresses.size() > ADDRESSES_SHOWN) ? listed + " and " + (addresses.size() - ADDRESSES_SHOWN) + " more"
				: listed;
	}

	/** The exception's type and message, never its stack: these failures are expected while nodes move. */
	private static String describe(@Nullable Throwable cause) {
		if (cause == null) {
			return "no cause given";
		}
		Throwable root = cause;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
	}

	private static String address(@Nullable SocketAddress address) {
		if (address instanceof InetSocketAddress inet) {
			return inet.getHostString() + ":" + inet.getPort();
		}
		return String.valueOf(address);
	}

	private static final class Episode {

		private final Instant first;

		private Instant last;

		private int failures;

		private final Set<String> addresses = new TreeSet<>();

		Episode(Instant first) {
			this.first = first;
			this.last = first;
		}

		void failed(Instant now, String address) {
			this.last = now;
			this.failures++;
			this.addresses.add(address);
		}

	}

}
