package io.github.redisresilience.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * What a soak run saw, and its judgements: the ledger, each resource's trend, and recovery over
 * the run.
 *
 * @param settings what ran
 * @param server the redis-server version
 * @param started when the workload started
 * @param ended when it stopped
 * @param disruptions every disruption applied, in order
 * @param disruptionFailures a disruption the kit could not complete (the cluster did not heal),
 * after which the schedule stopped
 * @param samples every resource sample
 * @param ledger the acknowledged writes and increments read back
 * @param operations operations started
 * @param failures failed operations by kind
 * @param failedWithinBudget failed operations that took less than the retry budget
 * @param incrAnsweredTwice INCRs of a new counter that answered other than 1
 * @param budget the retry budget
 * @param workloadStopped whether every workload thread had finished when the ledger was read
 * @param errors the first errors the workload saw
 */
record SoakResult(SoakSettings settings, String server, Instant started, Instant ended, List<Disrupted> disruptions,
		List<String> disruptionFailures, List<SoakSample> samples, LedgerCheck.Verdict ledger, long operations, Map<SoakWorkload.Kind, Long> failures,
		long failedWithinBudget, long incrAnsweredTwice, Duration budget, boolean workloadStopped, List<String> errors) {

	/** A recovery this much slower at the end than at the start, plus {@link #RECOVERY_SLACK}, is growth. */
	static final double RECOVERY_GROWTH = 1.5;

	static final Duration RECOVERY_SLACK = Duration.ofSeconds(1);

	/** Fewer samples than this in a third leave the trend unjudged, which fails the run. */
	static final int MIN_SAMPLES_PER_THIRD = 3;

	/**
	 * A disruption and when the application recovered from it.
	 * @param applied the disruption
	 * @param recovered when the application had its first fully successful second after the heal,
	 * {@code null} if not within the recovery limit
	 */
	record Disrupted(SoakDisruption.Applied applied, @Nullable Instant recovered) {

		Optional<Duration> recovery() {
			return Optional.ofNullable(this.recovered).map((at) -> Duration.between(this.applied.healed(), at));
		}

	}

	/**
	 * A resource's trend.
	 * @param resource the resource
	 * @param first the median of the first third after the warm-up, -1 if unknown
	 * @param last the median of the last third, -1 if unknown
	 * @param max the highest value after the warm-up
	 * @param verdict the judgement
	 */
	record Trend(SoakResource resource, double first, double last, double max, SoakResource.Verdict verdict) {

	}

	/** When the judged part of the run starts: after the warm-up. */
	Instant judgedFrom() {
		return this.started.plus(this.settings.warmUp());
	}

	/** Each resource's trend, in the order of {@link SoakResource}. */
	Map<SoakResource, Trend> trends() {
		Instant from = judgedFrom();
		Duration third = Duration.between(from, this.ended).dividedBy(3);
		Map<SoakResource, Trend> trends = new EnumMap<>(SoakResource.class);
		for (SoakResource resource : SoakResource.values()) {
			List<Double> firstThird = values(resource, from, from.plus(third));
			List<Double> lastThird = values(resource, this.ended.minus(third), this.ended);
			List<Double> all = values(resource, from, this.ended);
			double max = all.stream().mapToDouble(Double::doubleValue).max().orElse(-1);
			if (firstThird.size() < MIN_SAMPLES_PER_THIRD || lastThird.size() < MIN_SAMPLES_PER_THIRD) {
				trends.put(resource, new Trend(resource, -1, -1, max, new SoakResource.Verdict(false,
						"not judged: " + firstThird.size() + " and " + lastThird.size() + " samples in the thirds")));
				continue;
			}
			double first = median(firstThird);
			double last = median(lastThird);
			trends.put(resource, new Trend(resource, first, last, max, resource.judge(first, last, max)));
		}
		return trends;
	}

	private List<Double> values(SoakResource resource, Instant from, Instant to) {
		int usualSize = usualClusterSize();
		List<Double> values = new ArrayList<>();
		for (SoakSample sample : this.samples) {
			double value = resource.of(sample);
			if (!sample.at().isBefore(from) && sample.at().isBefore(to) && value >= 0
					&& (!resource.followsClusterSize() || sample.pods() == usualSize)) {
				values.add(value);
			}
		}
		return values;
	}

	/** The number of running pods most samples after the warm-up saw. */
	int usualClusterSize() {
		Map<Integer, Long> counts = new TreeMap<>();
		this.samples.stream()
			.filter((sample) -> !sample.at().isBefore(judgedFrom()))
			.forEach((sample) -> counts.merge(sample.pods(), 1L, Long::sum));
		return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/** The median recovery of the disruptions healed in the first third of the run, if any. */
	Optional<Duration> recoveryAtStart() {
		Duration third = Duration.between(this.started, this.ended).dividedBy(3);
		return medianRecovery(this.started, this.started.plus(third));
	}

	/** The median recovery of the disruptions healed in the last third of the run, if any. */
	Optional<Duration> recoveryAtEnd() {
		Duration third = Duration.between(this.started, this.ended).dividedBy(3);
		return medianRecovery(this.ended.minus(third), this.ended);
	}

	private Optional<Duration> medianRecovery(Instant from, Instant to) {
		List<Double> millis = this.disruptions.stream()
			.filter((disrupted) -> !disrupted.applied().healed().isBefore(from) && disrupted.applied().healed().isBefore(to))
			.flatMap((disrupted) -> disrupted.recovery().stream())
			.map((recovery) -> (double) recovery.toMillis())
			.toList();
		return millis.isEmpty() ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(median(millis))));
	}

	/**
	 * Everything that makes the run fail: a wrong ledger, a failure within the budget, a resource
	 * that grew, a disruption not recovered from, recovery that grew.
	 * @return the problems, empty when the run passed
	 */
	List<String> problems() {
		List<String> problems = new ArrayList<>(this.ledger.problems());
		problems.addAll(this.disruptionFailures);
		if (!this.workloadStopped) {
			problems.add("a workload thread was still running when the ledger was read");
		}
		if (this.incrAnsweredTwice > 0) {
			problems.add(this.incrAnsweredTwice + " INCR of a new counter answered more than 1");
		}
		if (this.failedWithinBudget > 0) {
			problems.add(this.failedWithinBudget + " operations failed within the retry budget ("
					+ this.budget.toSeconds() + " s)");
		}
		trends().values()
			.stream()
			.filter((trend) -> !trend.verdict().passed())
			.forEach((trend) -> problems.add(trend.resource().label() + ": " + trend.verdict().reason()));
		long unrecovered = this.disruptions.stream().filter((disrupted) -> disrupted.recovered() == null).count();
		if (unrecovered > 0) {
			problems.add(unrecovered + " disruptions without a fully successful second within "
					+ SoakRun.RECOVERY_LIMIT.toSeconds() + " s of the heal");
		}
		Optional<Duration> start = recoveryAtStart();
		Optional<Duration> end = recoveryAtEnd();
		if (start.isPresent() && end.isPresent() && end.get().toMillis() > start.get().toMillis() * RECOVERY_GROWTH
				+ RECOVERY_SLACK.toMillis()) {
			problems.add("recovery grew from " + start.get().toMillis() + " ms to " + end.get().toMillis() + " ms");
		}
		return problems;
	}

	/**
	 * The resources judged and found growing: what the negative control must show. A resource
	 * that could not be judged (too few samples in a third) is a problem of the run, never
	 * counted as grown, so that the control cannot pass on missing samples.
	 */
	List<SoakResource> grown() {
		return trends().values()
			.stream()
			.filter((trend) -> trend.first() >= 0 && trend.last() >= 0 && !trend.verdict().passed())
			.map(Trend::resource)
			.toList();
	}

	/** How often each disruption ran. */
	Map<SoakDisruption, Long> disruptionCounts() {
		Map<SoakDisruption, Long> counts = new EnumMap<>(SoakDisruption.class);
		for (SoakDisruption disruption : SoakDisruption.values()) {
			counts.put(disruption, 0L);
		}
		this.disruptions.forEach((disrupted) -> counts.merge(disrupted.applied().disruption(), 1L, Long::sum));
		return counts;
	}

}
