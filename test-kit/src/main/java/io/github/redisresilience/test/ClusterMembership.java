package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is in the cluster: forms it from the first pods (slots, epochs, replicas), introduces pods
 * to each other with {@code CLUSTER MEET} whenever they start at an address, new or old, and has
 * the others forget a pod that leaves for good.
 */
final class ClusterMembership {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	private final ClusterSettings settings;

	private final Pods pods;

	private final AdminConnections admin;

	private final PodProcesses processes;

	private final ClusterServices services;

	ClusterMembership(ClusterSettings settings, Pods pods, AdminConnections admin, PodProcesses processes,
			ClusterServices services) {
		this.settings = settings;
		this.pods = pods;
		this.admin = admin;
		this.processes = processes;
		this.services = services;
	}

	/** Starts the listed pods and forms a cluster of them: the first ones masters, the others their replicas. */
	void form() throws IOException {
		List<RedisPod> all = this.pods.all();
		for (RedisPod pod : all) {
			Files.createDirectories(pod.dataDirectory());
			this.processes.start(pod);
			pod.nodeId(this.admin.callOn(pod, "CLUSTER", "MYID"));
			this.admin.callOn(pod, "CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(pod.ordinal() + 1));
		}
		publishAndMeet();
		assignSlots(all);
		Poll.until(this.settings.healTimeout(), "every node to know every other", this::everyNodeKnowsEveryOther);
		int masters = this.settings.masters();
		for (int i = masters; i < all.size(); i++) {
			RedisPod master = all.get(i % masters);
			this.admin.callOn(all.get(i), "CLUSTER", "REPLICATE", master.nodeId());
		}
	}

	private void assignSlots(List<RedisPod> all) throws IOException {
		int masters = this.settings.masters();
		for (int i = 0; i < masters; i++) {
			int first = LocalRedisCluster.SLOTS * i / masters;
			int last = LocalRedisCluster.SLOTS * (i + 1) / masters - 1;
			// ADDSLOTS with every slot spelled out: ADDSLOTSRANGE needs Redis 7.
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			IntStream.rangeClosed(first, last).forEach((slot) -> command.add(Integer.toString(slot)));
			this.admin.callOn(all.get(i), command.toArray(String[]::new));
		}
	}

	/** A new pod, started: every node knows it once this returns. */
	void join(RedisPod pod) {
		try {
			pod.nodeId(this.admin.callOn(pod, "CLUSTER", "MYID"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the node ID of " + pod, ex);
		}
		publishAndMeet();
		Poll.until(this.settings.healTimeout(), () -> "every node to know " + pod, this::everyNodeKnowsEveryOther);
	}

	/** After pods started at their addresses: clients find them by name, peers by a handshake. */
	void publishAndMeet() {
		this.services.publish();
		meetAll();
	}

	/**
	 * Introduces every running pod to every other at its current address. Between every pair, not
	 * through one introducer: a node learns a moved peer's address through a handshake at once,
	 * while gossip only moves it once the peer is flagged failing, and a failed master keeps its
	 * flag for twice the node timeout after it is reachable again.
	 */
	private void meetAll() {
		List<RedisPod> up = this.pods.up();
		for (RedisPod pod : up) {
			for (RedisPod other : up) {
				if (pod == other) {
					continue;
				}
				try {
					this.admin.callOn(pod, "CLUSTER", "MEET", other.address().getHostString(),
							Integer.toString(this.settings.port()));
				}
				catch (IOException ex) {
					logger.debug("CLUSTER MEET from {} to {} failed; gossip will retry", pod, other, ex);
				}
			}
		}
	}

	private boolean everyNodeKnowsEveryOther() {
		for (RedisPod pod : this.pods.up()) {
			try (RespConnection connection = this.admin.connect(pod)) {
				List<ClusterNodesLine> view = ClusterNodesLine.parse(connection.callForString("CLUSTER", "NODES"));
				long known = view.stream().filter((line) -> !line.flags().contains("handshake")).count();
				if (known < this.pods.count()) {
					return false;
				}
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

	/** Every other node forgets the pod (within the 60 s ban it cannot rejoin), then it stops for good. */
	void forget(RedisPod pod) {
		for (RedisPod other : this.pods.up()) {
			if (other == pod) {
				continue;
			}
			try {
				this.admin.callOn(other, "CLUSTER", "FORGET", pod.nodeId());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(other + " could not forget " + pod, ex);
			}
		}
		this.processes.stop(pod);
		this.pods.remove(pod);
		this.services.publish();
	}

}
