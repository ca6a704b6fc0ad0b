package io.github.redisresilience.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * The mean of per-round ratios with its 95 % confidence interval (Student's t: a handful of
 * rounds is too few for the normal approximation).
 *
 * @param mean the mean ratio
 * @param halfWidth half the width of the 95 % confidence interval
 * @param rounds how many ratios
 */
record RatioInterval(double mean, double halfWidth, int rounds) {

	/** Two-sided 97.5 % quantiles of Student's t for 1 to 30 degrees of freedom. */
	private static final double[] T_975 = { 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
			2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
			2.056, 2.052, 2.048, 2.045, 2.042 };

	static RatioInterval of(List<Double> ratios) {
		int n = ratios.size();
		double mean = ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
		if (n < 2) {
			return new RatioInterval(mean, Double.NaN, n);
		}
		double variance = ratios.stream().mapToDouble((r) -> (r - mean) * (r - mean)).sum() / (n - 1);
		double t = (n - 1 <= T_975.length) ? T_975[n - 2] : 1.96;
		return new RatioInterval(mean, t * Math.sqrt(variance / n), n);
	}

	double low() {
		return this.mean - this.halfWidth;
	}

	double high() {
		return this.mean + this.halfWidth;
	}

	/**
	 * Whether the goal holds: {@code met} when the whole interval is on the goal's side,
	 * {@code not met} when the whole interval is on the other, {@code inconclusive} otherwise.
	 * @param goal the bound
	 * @param atLeast {@code true} for "at least the goal", {@code false} for "at most"
	 */
	String verdict(double goal, boolean atLeast) {
		if (Double.isNaN(this.halfWidth)) {
			return "too few rounds";
		}
		if (atLeast ? low() >= goal : high() <= goal) {
			return "met";
		}
		if (atLeast ? high() < goal : low() > goal) {
			return "not met";
		}
		return "inconclusive (interval spans the goal)";
	}

	@Override
	public String toString() {
		return Double.isNaN(this.halfWidth) ? String.format(Locale.ROOT, "%.3f", this.mean)
				: String.format(Locale.ROOT, "%.3f ± %.3f", this.mean, this.halfWidth);
	}

}
