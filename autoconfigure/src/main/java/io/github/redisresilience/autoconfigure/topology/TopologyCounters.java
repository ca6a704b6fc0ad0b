package io.github.redisresilience.autoconfigure.topology;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often the starter looked at the cluster topology and what came of it, for metrics and
 * benchmarks. Read-only to everyone but the watcher; counts only grow.
 */
public final class TopologyCounters {

	private final Map<Kind, Map<Outcome, LongAdder>> reads = new EnumMap<>(Kind.class);

	private final Map<Sign, LongAdder> signs = new EnumMap<>(Sign.class);

	private final LongAdder appliedChanges = new LongAdder();

	private final LongAdder regressions = new LongAdder();

	TopologyCounters() {
		for (Kind kind : Kind.values()) {
			Map<Outcome, LongAdder> byOutcome = new EnumMap<>(Outcome.class);
			for (Outcome outcome : Outcome.values()) {
				byOutcome.put(outcome, new LongAdder());
			}
			this.reads.put(kind, byOutcome);
		}
		for (Sign sign : Sign.values()) {
			this.signs.put(sign, new LongAdder());
		}
	}

	/**
	 * How many topology reads of a kind ended with an outcome.
	 * @param kind how the topology was read
	 * @param outcome what came of it
	 * @return the count since the application started
	 */
	public long reads(Kind kind, Outcome outcome) {
		return this.reads.get(kind).get(outcome).sum();
	}

	/**
	 * How many topology reads of a kind there were, whatever their outcome.
	 * @param kind how the topology was read
	 * @return the count since the application started
	 */
	public long reads(Kind kind) {
		return this.reads.get(kind).values().stream().mapToLong(LongAdder::sum).sum();
	}

	/**
	 * How many views read over a held connection were applied to the client, because they
	 * differed from the one it routed by.
	 * @return the count since the application started
	 */
	public long appliedChanges() {
		return this.appliedChanges.sum();
	}

	/**
	 * How many times a full refresh (Lettuce's own or a fallback) put a node back on an address
	 * it had moved away from, and a newer view was read at once.
	 * @return the count since the application started
	 */
	public long regressions() {
		return this.regressions.sum();
	}

	/**
	 * How many signs of trouble of a kind were seen (each keeps the client degraded for a while).
	 * @param sign the kind of sign
	 * @return the count since the application started
	 */
	public long signs(Sign sign) {
		return this.signs.get(sign).sum();
	}

	void read(Kind kind, Outcome outcome) {
		this.reads.get(kind).get(outcome).increment();
	}

	void applied() {
		this.appliedChanges.increment();
	}

	void regression() {
		this.regressions.increment();
	}

	void signSeen(Sign sign) {
		this.signs.get(sign).increment();
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		for (Kind kind : Kind.values()) {
			text.append(kind.tag()).append('{');
			for (Outcome outcome : Outcome.values()) {
				text.append(outcome.tag()).append('=').append(reads(kind, outcome)).append(' ');
			}
			text.setLength(text.length() - 1);
			text.append("} ");
		}
		text.append("applied=").append(appliedChanges()).append(" regressions=").append(regressions()).append(" signs{");
		for (Sign sign : Sign.values()) {
			text.append(sign.tag()).append('=').append(signs(sign)).append(' ');
		}
		text.setLength(text.length() - 1);
		return text.append('}').toString();
	}

	private static String tag(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * How the topology was read.
	 */
	public enum Kind {

		/** One {@code CLUSTER NODES} over a connection the starter already holds. */
		HELD,

		/** One {@code CLUSTER NODES} over a new connection to a seed, then closed: when no held connection answers. */
		SEED,

		/** Lettuce's refresh: a new connection to every source node, then closed. */
		FULL;

		/**
		 * The kind as a metric tag.
		 * @return {@code held}, {@code seed} or {@code full}
		 */
		public String tag() {
			return TopologyCounters.tag(this);
		}

	}

	/**
	 * What came of a topology read.
	 */
	public enum Outcome {

		/** The view differed from the client's and was applied. */
		CHANGED,

		/** The view was the client's. */
		UNCHANGED,

		/** The view was older than the client's (see the ordering rules) and was not applied. */
		REFUSED,

		/** No view: the source did not answer in time, or answered with an error. */
		FAILED;

		/**
		 * The outcome as a metric tag.
		 * @return the name in lower case
		 */
		public String tag() {
			return TopologyCounters.tag(this);
		}

	}

	/**
	 * A sign that the client is in trouble.
	 */
	public enum Sign {

		/** Lettuce is reconnecting a dropped connection. */
		RECONNECT,

		/** A command timed out. */
		COMMAND_TIMEOUT,

		/** Lettuce asked for an adaptive refresh (MOVED, ASK, unknown node...). */
		ADAPTIVE_TRIGGER,

		/** A master became suspect. */
		SUSPECT;

		/**
		 * The sign as a metric tag.
		 * @return the name in lower case with dashes
		 */
		public String tag() {
			return TopologyCounters.tag(this);
		}

	}

}
