package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves hash slots from one master to another the way {@code redis-cli --cluster reshard} does,
 * one slot at a time, while clients keep using them: the target is set {@code IMPORTING}, the
 * source {@code MIGRATING} (from then on the source answers {@code ASK} for keys it no longer
 * holds), the slot's keys are moved in batches with {@code MIGRATE}, and the new owner is set
 * with {@code SETSLOT NODE} on the target, the source and every other master (clients that
 * still ask the source get {@code MOVED}).
 * <p>
 * One connection per master for the whole migration, each with its own longer timeout: a
 * {@code MIGRATE} of a batch waits for the target.
 */
final class SlotMigration implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SlotMigration.class);

	/** Keys per {@code MIGRATE}, as redis-cli's default pipeline. */
	private static final int BATCH = 10;

	/** Bounds the batches of one slot: the workload's keys are a few per slot. */
	private static final int MAX_BATCHES_PER_SLOT = 100_000;

	static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final Connector connector;

	private final @Nullable String migrateAuthPassword;

	private final Map<RedisPod, RespConnection> connections = new LinkedHashMap<>();

	private Duration batchPause = Duration.ZERO;

	private int keysMoved;

	/**
	 * A migration over the given masters.
	 * @param connector opens an administration connection to a pod
	 * @param masters every master that must learn the new owners
	 * @param migrateAuthPassword the default user's password the source sends the target, or
	 * {@code null}
	 */
	SlotMigration(Connector connector, List<RedisPod> masters, @Nullable String migrateAuthPassword) {
		this.connector = connector;
		this.migrateAuthPassword = migrateAuthPassword;
		try {
			for (RedisPod master : masters) {
				this.connections.put(master, connector.connect(master));
			}
		}
		catch (IOException ex) {
			close();
			throw new UncheckedIOException("Could not connect to the masters to migrate slots", ex);
		}
	}

	/**
	 * Moves slots from their owner to the target, each with its keys.
	 * @param source the master that serves the slots now
	 * @param target the master that serves them afterwards
	 * @param slots the slots
	 */
	void move(RedisPod source, RedisPod target, List<Integer> slots) {
		for (int slot : slots) {
			try {
				moveSlot(source, target, slot);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not move slot " + slot + " from " + source + " to " + target, ex);
			}
		}
		logger.debug("Moved {} slots from {} to {}", slots.size(), source, target);
	}

	/**
	 * Pauses after every {@code MIGRATE} batch, as a migration of big slots on a busy cluster
	 * takes time: each slot with keys stays {@code MIGRATING} for longer, so clients see ASK.
	 * @param batchPause the pause, zero by default
	 */
	void batchPause(Duration batchPause) {
		this.batchPause = batchPause;
	}

	int keysMoved() {
		return this.keysMoved;
	}

	private void moveSlot(RedisPod source, RedisPod target, int slot) throws IOException {
		String number = Integer.toString(slot);
		RespConnection from = connection(source);
		RespConnection to = connection(target);
		// Target first: once the source is MIGRATING it sends ASK there, and the target must accept ASKING.
		to.call("CLUSTER", "SETSLOT", number, "IMPORTING", source.nodeId());
		from.call("CLUSTER", "SETSLOT", number, "MIGRATING", target.nodeId());
		for (int batch = 0; batch < MAX_BATCHES_PER_SLOT; batch++) {
			List<?> keys = (List<?>) from.call("CLUSTER", "GETKEYSINSLOT", number, Integer.toString(BATCH));
			if (keys == null || keys.isEmpty()) {
				break;
			}
			List<String> migrate = new ArrayList<>(List.of("MIGRATE", target.address().getHostString(),
					Integer.toString(target.address().getPort()), "", "0", Long.toString(TIMEOUT.toMillis())));
			if (this.migrateAuthPassword != null) {
				migrate.addAll(List.of("AUTH", this.migrateAuthPassword));
			}
			migrate.add("KEYS");
			keys.forEach((key) -> migrate.add((String) key));
			from.call(migrate.toArray(String[]::new));
			this.keysMoved += keys.size();
			if (!this.batchPause.isZero()) {
				LockSupport.parkNanos(this.batchPause.toNanos());
			}
		}
		// The target first, so that it serves the slot before the source starts sending MOVED there.
		to.call("CLUSTER", "SETSLOT", number, "NODE", target.nodeId());
		try {
			from.call("CLUSTER", "SETSLOT", number, "NODE", target.nodeId());
		}
		catch (RespConnection.RedisErrorReply ex) {
			// A master that has just lost its last slot may already have turned into the target's
			// replica (Redis 7, cluster-allow-replica-migration), as redis-cli also allows for: it
			// learns the owner from its master. Valkey answers the same race with UNBLOCKED
			// ("instance state changed (master -> replica?)").
			if (!ex.getMessage().contains("only with masters") && !ex.getMessage().contains("master -> replica")) {
				throw ex;
			}
			logger.debug("{} became a replica once it lost slot {}", source, slot);
		}
		for (Map.Entry<RedisPod, RespConnection> other : this.connections.entrySet()) {
			if (other.getKey() != source && other.getKey() != target) {
				other.getValue().call("CLUSTER", "SETSLOT", number, "NODE", target.nodeId());
			}
		}
	}

	private RespConnection connection(RedisPod pod) throws IOException {
		RespConnection connection = this.connections.get(pod);
		if (connection == null) {
			connection = this.connector.connect(pod);
			this.connections.put(pod, connection);
		}
		return connection;
	}

	@Override
	public void close() {
		for (RespConnection connection : this.connections.values()) {
			try {
				connection.close();
			}
			catch (IOException ex) {
				logger.debug("Could not close an administration connection", ex);
			}
		}
		this.connections.clear();
	}

	/**
	 * Opens an administration connection to a pod.
	 */
	@FunctionalInterface
	interface Connector {

		RespConnection connect(RedisPod pod) throws IOException;

	}

}
