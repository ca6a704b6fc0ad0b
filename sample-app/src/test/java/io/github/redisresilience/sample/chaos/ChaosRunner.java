package io.github.redisresilience.sample.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

import io.github.redisresilience.sample.traffic.TrafficRecorder;
import io.github.redisresilience.test.AddressChange;
import io.github.redisresilience.test.ChaosReport;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.RedisPod;

/**
 * Runs the test kit's chaos operations one at a time, off the request threads (they block until
 * the cluster healed, which takes seconds), and keeps what the status page shows about them.
 * <p>
 * After the cluster healed it waits for the application to recover, that is for a second of
 * traffic without a failure, so that a run's failure count covers the client's own catch-up too.
 */
final class ChaosRunner implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(ChaosRunner.class);

	/** How long a run waits for the application to recover once the cluster healed. */
	private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(30);

	/** How many finished runs the page lists. */
	private static final int HISTORY = 20;

	private final LocalRedisCluster cluster;

	private final TrafficRecorder traffic;

	private final boolean trafficEnabled;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "sample-chaos");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicReference<@Nullable Running> running = new AtomicReference<>();

	private final Deque<ChaosRun> finished = new ArrayDeque<>();

	/** The kit's accessors wait while a chaos operation holds the cluster: the page reads this copy. */
	private volatile List<PodView> pods;

	ChaosRunner(LocalRedisCluster cluster, TrafficRecorder traffic, boolean trafficEnabled) {
		this.cluster = cluster;
		this.traffic = traffic;
		this.trafficEnabled = trafficEnabled;
		this.pods = podViews();
	}

	/**
	 * Starts an operation unless one is running.
	 * @param operation the operation
	 * @return {@code false} if another operation is still running
	 */
	boolean start(Operation operation) {
		Running run = new Running(operation, Instant.now());
		if (!this.running.compareAndSet(null, run)) {
			return false;
		}
		this.executor.execute(() -> run(run));
		return true;
	}

	@Nullable Running running() {
		return this.running.get();
	}

	List<ChaosRun> finished() {
		synchronized (this.finished) {
			return List.copyOf(this.finished);
		}
	}

	List<PodView> pods() {
		return this.pods;
	}

	private void run(Running run) {
		logger.info("Chaos: {} started", run.operation().label());
		ChaosRun result;
		try {
			ChaosReport report = perform(run.operation());
			result = outcome(run, report, Instant.now(), null);
		}
		catch (RuntimeException ex) {
			logger.warn("Chaos: {} failed", run.operation().label(), ex);
			result = outcome(run, null, Instant.now(), ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		this.pods = podViews();
		synchronized (this.finished) {
			if (this.finished.size() == HISTORY) {
				this.finished.removeLast();
			}
			this.finished.addFirst(result);
		}
		logger.info("Chaos: {}", result);
		this.running.set(null);
	}

	private ChaosReport perform(Operation operation) {
		return switch (operation) {
			case MOVE_ALL_PODS -> this.cluster.moveAllPods(OldAddresses.BLACK_HOLE);
			case ROLLING_MOVE -> this.cluster.rollingMove(OldAddresses.BLACK_HOLE);
			case KILL_MASTER -> killAndRestartMaster();
			case PAUSE_MASTER -> pauseMasterPastFailover();
		};
	}

	/** A killed master's pod comes back, as Kubernetes restarts it, and rejoins as a replica. */
	private ChaosReport killAndRestartMaster() {
		RedisPod master = randomMaster();
		ChaosReport kill = this.cluster.killMaster(master);
		this.pods = podViews();
		awaitRecovery(kill.healed());
		this.cluster.restart(master);
		return kill;
	}

	/**
	 * The frozen master wakes up once the application moved on to the promoted replica, and
	 * rejoins as a replica.
	 */
	private ChaosReport pauseMasterPastFailover() {
		RedisPod master = randomMaster();
		ChaosReport failover = this.cluster.pauseUntilFailover(master);
		this.pods = podViews();
		awaitRecovery(failover.healed());
		this.cluster.resume(master);
		return failover;
	}

	private RedisPod randomMaster() {
		return this.cluster.masterOf(ThreadLocalRandom.current().nextInt(LocalRedisCluster.SLOTS));
	}

	/**
	 * The outcome of a run: the recovery is measured from the main disruption's heal, the
	 * failures up to the recovery after the whole operation, a restart or resume included.
	 */
	private ChaosRun outcome(Running run, @Nullable ChaosReport report, Instant finished, @Nullable String error) {
		Instant healed = (report != null) ? report.healed() : finished;
		Instant recovered = awaitRecovery(healed);
		Instant settled = (recovered != null && finished.isAfter(healed.plusSeconds(1))) ? awaitRecovery(finished)
				: recovered;
		Instant end = (settled != null) ? settled : Instant.now();
		TrafficRecorder.Totals during = this.traffic.between(run.started(), end);
		TrafficRecorder.Totals afterHeal = this.traffic.between(healed, end);
		List<String> changes = (report != null) ? report.addressChanges().stream().map(ChaosRunner::describe).toList()
				: List.of();
		return new ChaosRun(run.operation().path(), run.operation().label(), run.started().toEpochMilli(),
				healed.toEpochMilli(), Duration.between(run.started(), healed).toMillis(),
				(recovered != null) ? recovered.toEpochMilli() : null,
				(recovered != null) ? Math.max(0, Duration.between(healed, recovered).toMillis()) : null,
				during.operations(), during.failures(), afterHeal.failures(), changes, error);
	}

	/** The first second without a failure after the cluster healed, or {@code null} if none came in time. */
	private @Nullable Instant awaitRecovery(Instant healed) {
		if (!this.trafficEnabled) {
			return null;
		}
		Instant deadline = Instant.now().plus(RECOVERY_LIMIT);
		while (Instant.now().isBefore(deadline)) {
			Instant recovered = this.traffic.firstCleanSecondAfter(healed);
			if (recovered != null) {
				return recovered;
			}
			LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
		}
		return null;
	}

	private List<PodView> podViews() {
		return this.cluster.pods()
			.stream()
			.map((pod) -> new PodView(pod.name(), pod.address().getHostString() + ":" + pod.address().getPort(),
					pod.role().name().toLowerCase(Locale.ROOT), pod.isRunning() ? (pod.isPaused() ? "paused" : "running") : "down"))
			.toList();
	}

	private static String describe(AddressChange change) {
		return change.nodeId() + " " + change.from().getHostString() + " -> " + change.to().getHostString();
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

	/** The chaos operations the page offers. */
	enum Operation {

		MOVE_ALL_PODS("move-all-pods", "move all pods"),

		ROLLING_MOVE("rolling-move", "rolling move"),

		KILL_MASTER("kill-master", "kill a master"),

		PAUSE_MASTER("pause-master", "pause a master");

		private final String path;

		private final String label;

		Operation(String path, String label) {
			this.path = path;
			this.label = label;
		}

		String path() {
			return this.path;
		}

		String label() {
			return this.label;
		}

		static @Nullable Operation fromPath(String path) {
			for (Operation operation : values()) {
				if (operation.path.equals(path)) {
					return operation;
				}
			}
			return null;
		}

	}

	record Running(Operation operation, Instant started) {
	}

	/**
	 * A finished chaos run, as the page shows it.
	 *
	 * @param operation the operation's path segment
	 * @param label what the page calls it
	 * @param startedAt when it started (epoch milliseconds)
	 * @param healedAt when the kit saw the cluster healthy again (after the last step of a rolling move)
	 * @param healedAfterMillis from the start to the heal: while the cluster itself is broken, no
	 * client can do better
	 * @param recoveredAt the first second without a failed operation after the heal, if one came
	 * within 30 seconds
	 * @param recoveryMillis from the heal to that second
	 * @param operations operations the traffic generator completed from the start to the recovery
	 * after the whole operation (a killed master's restart, a paused master's resume included)
	 * @param failures those that failed
	 * @param failuresAfterHeal those that failed and completed after the heal
	 * @param addressChanges the addresses the kit changed, {@code nodeId from -> to}
	 * @param error why the operation itself failed, if it did
	 */
	record ChaosRun(String operation, String label, long startedAt, long healedAt, long healedAfterMillis,
			@Nullable Long recoveredAt, @Nullable Long recoveryMillis, long operations, long failures,
			long failuresAfterHeal, List<String> addressChanges, @Nullable String error) {
	}

	record PodView(String name, String address, String role, String state) {
	}

}
