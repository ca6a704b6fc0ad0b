package io.github.redisresilience.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one client did in one round of the overhead suite, as the report needs it; written as one
 * line by a session's JVM and read back by the parent ({@link #encode()}, {@link #decode(String)}).
 *
 * @param throughput commands per second
 * @param p50 median latency, milliseconds
 * @param p99 99th percentile latency, milliseconds
 * @param p999 99.9th percentile latency, milliseconds
 * @param errors steps that failed, read back something else or counted wrong
 * @param clientCpu CPU time of the JVM that ran the round, over its measured window, per command
 * completed, microseconds; NaN if not measured
 * @param serverCpu CPU time of every redis-server of the cluster over the same window, per
 * command completed, microseconds; NaN if not measured
 * @param allocated bytes the JVM's threads allocated over the same window, per command
 * completed; NaN if not measured
 * @param errorSamples a few of the errors, distinct
 */
record RoundMeasure(double throughput, double p50, double p99, double p999, long errors, double clientCpu,
		double serverCpu, double allocated, List<String> errorSamples) {

	/** Between error samples on the wire: never in one (each is whitespace-normalised). */
	private static final String SAMPLES = " ¦ ";

	/**
	 * The values before the samples: lines written before the CPU measures have the first five,
	 * before the allocation measure the first seven.
	 */
	private static final int VALUES = 8;

	private static final int VALUES_WITHOUT_ALLOCATION = 7;

	private static final int VALUES_WITHOUT_CPU = 5;

	/**
	 * What a round measured, with the CPU both sides spent in its window.
	 * @param result the load's result
	 * @param clientCpuNanos the JVM's process CPU time over the window, nanoseconds; negative if
	 * not known
	 * @param serverCpuSeconds every server's CPU time over the window, seconds; NaN if not known
	 * @param allocatedBytes bytes the JVM's threads allocated over the window, the workload's
	 * included; negative if not known
	 */
	static RoundMeasure of(SteadyLoad.Result result, long clientCpuNanos, double serverCpuSeconds,
			long allocatedBytes) {
		double commands = result.commands();
		double clientCpu = (clientCpuNanos >= 0 && commands > 0) ? clientCpuNanos / 1e3 / commands : Double.NaN;
		double serverCpu = (commands > 0) ? serverCpuSeconds * 1e6 / commands : Double.NaN;
		double allocated = (allocatedBytes >= 0 && commands > 0) ? allocatedBytes / commands : Double.NaN;
		return new RoundMeasure(result.throughput(), result.percentileMillis(50), result.percentileMillis(99),
				result.percentileMillis(99.9), result.errors(), clientCpu, serverCpu, allocated,
				result.errorSamples());
	}

	double percentileMillis(double percentile) {
		if (percentile == 50) {
			return this.p50;
		}
		if (percentile == 99) {
			return this.p99;
		}
		if (percentile == 99.9) {
			return this.p999;
		}
		throw new IllegalArgumentException("Only p50, p99 and p99.9 are kept, not p" + percentile);
	}

	/**
	 * One line, no tab in it: the values separated by spaces (throughput, p50, p99, p99.9, errors,
	 * client and server CPU per command, bytes allocated per command; NaN where not measured), then
	 * the samples.
	 */
	String encode() {
		return String.format(Locale.ROOT, "%.3f %.6f %.6f %.6f %d %.4f %.4f %.1f", this.throughput, this.p50,
				this.p99, this.p999, this.errors, this.clientCpu, this.serverCpu, this.allocated) + SAMPLES
				+ String.join(SAMPLES, this.errorSamples);
	}

	/** Reads {@link #encode()}'s line, or one written before the CPU or allocation measures (NaN for those). */
	static RoundMeasure decode(String line) {
		String[] parts = line.split(Pattern.quote(SAMPLES), -1);
		String[] values = parts[0].strip().split(" ");
		if (values.length != VALUES && values.length != VALUES_WITHOUT_ALLOCATION
				&& values.length != VALUES_WITHOUT_CPU) {
			throw new IllegalArgumentException("Not a round measure: " + line);
		}
		boolean cpu = values.length >= VALUES_WITHOUT_ALLOCATION;
		boolean allocation = values.length == VALUES;
		List<String> samples = Arrays.stream(parts).skip(1).filter((sample) -> !sample.isBlank()).toList();
		return new RoundMeasure(Double.parseDouble(values[0]), Double.parseDouble(values[1]),
				Double.parseDouble(values[2]), Double.parseDouble(values[3]), Long.parseLong(values[4]),
				cpu ? Double.parseDouble(values[5]) : Double.NaN, cpu ? Double.parseDouble(values[6]) : Double.NaN,
				allocation ? Double.parseDouble(values[7]) : Double.NaN, samples);
	}

}
