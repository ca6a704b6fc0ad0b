package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Scales the cluster out and in as {@code redis-cli --cluster} does: adds empty masters and
 * replicas, moves slots with their keys ({@link SlotMigration}), drains and removes masters, and
 * removes replicas.
 */
final class ClusterScaling {

	private final Pods pods;

	private final ClusterTls tls;

	private final AdminConnections admin;

	private final PodProcesses processes;

	private final ClusterMembership membership;

	private final ClusterTopology topology;

	private final ClusterHealth health;

	private final @Nullable String password;

	ClusterScaling(Pods pods, ClusterTls tls, AdminConnections admin, PodProcesses processes,
			ClusterMembership membership, ClusterTopology topology, ClusterHealth health, @Nullable String password) {
		this.pods = pods;
		this.tls = tls;
		this.admin = admin;
		this.processes = processes;
		this.membership = membership;
		this.topology = topology;
		this.health = health;
		this.password = password;
	}

	RedisPod addMaster() {
		Instant started = Instant.now();
		RedisPod pod = newPod(Role.MASTER);
		new ChaosReport("add-master " + pod.name(), started, this.health.awaitHealthy(), List.of()).logged();
		return pod;
	}

	RedisPod addReplica(RedisPod master) {
		Pods.requireRole(master, Role.MASTER);
		Instant started = Instant.now();
		RedisPod pod = newPod(Role.REPLICA);
		try {
			this.admin.callOn(pod, "CLUSTER", "REPLICATE", master.nodeId());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not make " + pod + " a replica of " + master, ex);
		}
		new ChaosReport("add-replica " + pod.name() + " of " + master.name(), started, this.health.awaitHealthy(),
				List.of())
			.logged();
		return pod;
	}

	private RedisPod newPod(Role role) {
		if (this.tls.isEnabled()) {
			throw new IllegalStateException("Scaling a TLS cluster is not supported: its certificate names only the pods it was made for");
		}
		RedisPod pod = this.pods.create(role);
		try {
			Files.createDirectories(pod.dataDirectory());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the data directory of " + pod, ex);
		}
		this.pods.add(pod);
		this.processes.start(pod);
		this.membership.join(pod);
		return pod;
	}

	ChaosReport migrateSlots(RedisPod target, int count, Duration batchPause) {
		Pods.requireRole(target, Role.MASTER);
		Instant started = Instant.now();
		List<RedisPod> sources = masters().stream().filter((master) -> master != target).toList();
		Map<RedisPod, List<Integer>> owned = new LinkedHashMap<>();
		sources.forEach((source) -> owned.put(source, this.topology.slotsOf(source)));
		int available = owned.values().stream().mapToInt(List::size).sum();
		if (count < 1 || count > available) {
			throw new IllegalArgumentException("count must be between 1 and " + available + ", not " + count);
		}
		Map<RedisPod, List<Integer>> plan = new LinkedHashMap<>();
		int planned = 0;
		for (int i = 0; i < sources.size(); i++) {
			List<Integer> slots = owned.get(sources.get(i));
			int share = (i == sources.size() - 1) ? count - planned
					: Math.min(slots.size(), (int) ((long) count * slots.size() / available));
			// The highest slots of each source, as redis-cli takes them.
			plan.put(sources.get(i), slots.subList(slots.size() - share, slots.size()));
			planned += share;
		}
		int keys = migrate(plan, target, batchPause);
		return new ChaosReport("migrate " + count + " slots (" + keys + " keys) to " + target.name(), started,
				this.health.awaitSlotsAgreed(), List.of())
			.logged();
	}

	private int migrate(Map<RedisPod, List<Integer>> plan, RedisPod target, Duration batchPause) {
		try (SlotMigration migration = newMigration()) {
			migration.batchPause(batchPause);
			plan.forEach((source, slots) -> migration.move(source, target, slots));
			return migration.keysMoved();
		}
	}

	ChaosReport removeMaster(RedisPod master) {
		Pods.requireRole(master, Role.MASTER);
		List<RedisPod> others = masters().stream().filter((other) -> other != master).toList();
		if (others.size() < 3) {
			throw new IllegalStateException("A Redis Cluster needs at least 3 masters; " + master + " is one of them");
		}
		Instant started = Instant.now();
		List<RedisPod> replicas = this.topology.replicasOf(master);
		List<Integer> slots = this.topology.slotsOf(master);
		Map<RedisPod, List<Integer>> plan = new LinkedHashMap<>();
		for (int i = 0; i < others.size(); i++) {
			plan.put(others.get(i), slots.subList(slots.size() * i / others.size(), slots.size() * (i + 1) / others.size()));
		}
		int keys = 0;
		try (SlotMigration migration = newMigration()) {
			plan.forEach((target, share) -> migration.move(master, target, share));
			keys = migration.keysMoved();
		}
		this.health.awaitSlotsAgreed();
		RedisPod heir = others.get(others.size() - 1);
		for (RedisPod replica : replicas) {
			try {
				this.admin.callOn(replica, "CLUSTER", "REPLICATE", heir.nodeId());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not move " + replica + " to " + heir, ex);
			}
		}
		this.membership.forget(master);
		return new ChaosReport("remove-master " + master.name() + " (" + slots.size() + " slots, " + keys
				+ " keys moved)", started, this.health.awaitHealthy(), List.of())
			.logged();
	}

	ChaosReport removeReplica(RedisPod replica) {
		Pods.requireRole(replica, Role.REPLICA);
		Instant started = Instant.now();
		this.membership.forget(replica);
		return new ChaosReport("remove-replica " + replica.name(), started, this.health.awaitHealthy(), List.of())
			.logged();
	}

	private List<RedisPod> masters() {
		return this.pods.runningWithRole(Role.MASTER);
	}

	/** Over administration connections with a timeout long enough for {@code MIGRATE}. */
	private SlotMigration newMigration() {
		return new SlotMigration((pod) -> this.admin.connect(pod, SlotMigration.TIMEOUT), masters(), this.password);
	}

}
