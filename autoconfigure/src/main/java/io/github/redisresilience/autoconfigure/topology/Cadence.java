package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.function.DoubleSupplier;

import org.jspecify.annotations.Nullable;

/**
 * How long the watcher waits before its next look at the topology: the period while all is well,
 * the degraded period while the client is in trouble, the suspect period while a master is
 * suspect. Every wait is jittered by up to a fifth either way, so that a fleet of clients
 * does not read in step. That alone keeps clients apart only as far as they already are: a fleet
 * that starts together, or comes out of the same trouble at the same instant, would read within a
 * fifth of a period of each other for a long time. So the first steady wait, at the start and
 * after trouble, is spread over a whole period (never shorter than the degraded period), and the
 * fleet's reads are spread over the period from then on.
 */
final class Cadence {

	private static final double JITTER = 0.2;

	private final Duration steady;

	private final Duration degraded;

	private final Duration suspect;

	private final DoubleSupplier random;

	/** The mode of the last wait; none before the first. The watcher's thread only. */
	private @Nullable Mode last;

	/**
	 * @param random uniform in [0, 1)
	 */
	Cadence(Duration steady, Duration degraded, Duration suspect, DoubleSupplier random) {
		this.steady = steady;
		this.degraded = degraded;
		this.suspect = suspect;
		this.random = random;
	}

	Duration next(Mode mode) {
		Mode previous = this.last;
		this.last = mode;
		if (mode == Mode.STEADY && previous != Mode.STEADY) {
			long spread = (long) (this.steady.toNanos() * this.random.getAsDouble());
			return Duration.ofNanos(Math.max(this.degraded.toNanos(), Math.max(1, spread)));
		}
		Duration base = switch (mode) {
			case STEADY -> this.steady;
			case DEGRADED -> this.degraded;
			case SUSPECT -> this.suspect;
		};
		double factor = 1 - JITTER + 2 * JITTER * this.random.getAsDouble();
		return Duration.ofNanos(Math.max(1, (long) (base.toNanos() * factor)));
	}

	/**
	 * What the watcher is looking out for.
	 */
	enum Mode {

		/** Nothing wrong: one read per period. */
		STEADY,

		/** Connections dropping, commands timing out, slots uncovered. */
		DEGRADED,

		/** A master is not answering: its replicas' view is read until it is failed over or answers. */
		SUSPECT

	}

}
