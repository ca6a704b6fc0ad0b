package io.github.redisresilience.benchmarks;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A resource the soak samples, and how it is judged: by trend (the median of the last third of
 * the run after the warm-up against the median of the first third, medians so that a sample taken
 * mid-disruption does not decide) or, for what is bounded by design, against its bound.
 */
enum SoakResource {

	HEAP_AFTER_GC("heap after GC", "MiB", 1.0 / (1024 * 1024), SoakSample::heapAfterGc, 8, 0.15, false),

	THREADS("live threads", "", 1, SoakSample::threads, 2, 0, false),

	OPEN_FILES("open file descriptors", "", 1, SoakSample::openFiles, 8, 0, true),

	DIRECT_MEMORY_JDK("direct buffers (JDK)", "MiB", 1.0 / (1024 * 1024), SoakSample::directJdk, 4, 0.25, true),

	DIRECT_MEMORY_NETTY("direct memory (Netty allocator)", "MiB", 1.0 / (1024 * 1024), SoakSample::directNetty, 16,
			0.25, true),

	CLIENT_CONNECTIONS("TCP connections to Redis from the JVM", "", 1, SoakSample::clientConnections, 4, 0, true),

	SERVER_CLIENTS("connected clients on the servers", "", 1, SoakSample::serverClients, 4, 0, true),

	METERS("meters registered", "", 1, SoakSample::meters, 8, 0.1, false),

	TAG_VALUES("tag values registered", "", 1, SoakSample::tagValues, 8, 0.1, false),

	SUSPECT_NODES("suspect nodes", "", 1, SoakSample::suspectNodes, 1, 0, false),

	/** Bounded by design: judged against its bound. */
	RECENT_ADDRESS_CHANGES("recent address changes kept", "", 1, SoakSample::recentAddressChanges, 0, 0, false) {
		@Override
		Verdict judge(double first, double last, double max) {
			boolean within = max <= ADDRESS_CHANGES_KEPT;
			return new Verdict(within, "at most " + format(max) + " of a bound of " + ADDRESS_CHANGES_KEPT);
		}
	};

	/** How many address changes the starter keeps (its topology endpoint shows them). */
	static final int ADDRESS_CHANGES_KEPT = 50;

	private final String label;

	private final String unit;

	private final double scale;

	private final ToDoubleFunction<SoakSample> value;

	private final double absoluteTolerance;

	private final double relativeTolerance;

	private final boolean followsClusterSize;

	SoakResource(String label, String unit, double scale, ToDoubleFunction<SoakSample> value,
			double absoluteTolerance, double relativeTolerance, boolean followsClusterSize) {
		this.label = label;
		this.unit = unit;
		this.scale = scale;
		this.value = value;
		this.absoluteTolerance = absoluteTolerance;
		this.relativeTolerance = relativeTolerance;
		this.followsClusterSize = followsClusterSize;
	}

	/**
	 * Whether the resource follows the cluster's size (a connection per node, its socket and
	 * buffers): judged on the samples taken at the cluster's usual size only, so that a scale-out
	 * in the last third is not taken for growth.
	 */
	boolean followsClusterSize() {
		return this.followsClusterSize;
	}

	String label() {
		return this.unit.isEmpty() ? this.label : this.label + " (" + this.unit + ")";
	}

	/** The sample's value in this resource's unit; negative when it could not be read. */
	double of(SoakSample sample) {
		double raw = this.value.applyAsDouble(sample);
		return (raw < 0) ? -1 : raw * this.scale;
	}

	/**
	 * Judges the last third against the first.
	 * @param first the median of the first third after the warm-up
	 * @param last the median of the last third
	 * @param max the highest value after the warm-up
	 * @return whether it stayed flat, and how it is said
	 */
	Verdict judge(double first, double last, double max) {
		double allowed = Math.max(this.absoluteTolerance, first * this.relativeTolerance);
		boolean flat = last - first <= allowed;
		return new Verdict(flat, "grew " + format(last - first) + " (allowed " + format(allowed) + ")");
	}

	/** How much the last third may exceed the first, as the report states it. */
	String tolerance() {
		if (this == RECENT_ADDRESS_CHANGES) {
			return "never above " + ADDRESS_CHANGES_KEPT;
		}
		String absolute = format(this.absoluteTolerance) + (this.unit.isEmpty() ? "" : " " + this.unit);
		return (this.relativeTolerance > 0)
				? "+" + absolute + " or +" + Math.round(this.relativeTolerance * 100) + " %, whichever is more"
				: "+" + absolute;
	}

	static String format(double value) {
		return (Math.rint(value) == value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
	}

	/**
	 * @param passed whether the resource stayed flat (or within its bound)
	 * @param reason what was seen
	 */
	record Verdict(boolean passed, String reason) {

	}

}
