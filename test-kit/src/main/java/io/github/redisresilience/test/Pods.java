package io.github.redisresilience.test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The cluster's pods in the order they were created, as a StatefulSet numbers them, and the
 * subsets the kit works with. Not thread-safe: the cluster's lock guards it.
 */
final class Pods {

	private final ClusterNames names;

	private final Path directory;

	private final Supplier<InetSocketAddress> addresses;

	/**
	 * Copied on write: the readiness timer reads it without the cluster's lock while scaling may
	 * add or remove a pod, and pods change far less often than they are read.
	 */
	private final List<RedisPod> pods = new CopyOnWriteArrayList<>();

	/** A removed pod's ordinal is never reused: its name and data directory stay its own. */
	private int nextOrdinal;

	Pods(ClusterNames names, Path directory, Supplier<InetSocketAddress> addresses) {
		this.names = names;
		this.directory = directory;
		this.addresses = addresses;
	}

	/** A new pod with the next ordinal, at a new address, not yet listed; its process is not started. */
	RedisPod create(Role role) {
		int ordinal = this.nextOrdinal++;
		String podName = this.names.pod(ordinal);
		return new RedisPod(ordinal, podName, this.names.podHostname(podName), this.directory.resolve(podName),
				this.addresses.get(), role);
	}

	void add(RedisPod pod) {
		this.pods.add(pod);
	}

	void remove(RedisPod pod) {
		this.pods.remove(pod);
	}

	List<RedisPod> all() {
		return List.copyOf(this.pods);
	}

	int count() {
		return this.pods.size();
	}

	List<RedisPod> running() {
		return this.pods.stream().filter(RedisPod::isRunning).toList();
	}

	/** Running, not frozen, reachable: the pods the kit can talk to. */
	List<RedisPod> up() {
		return this.pods.stream().filter(RedisPod::isUp).toList();
	}

	List<RedisPod> runningWithRole(Role role) {
		return this.pods.stream().filter((pod) -> pod.isRunning() && pod.role() == role).toList();
	}

	RedisPod withOrdinal(int ordinal) {
		// Removed pods leave gaps: the list index is not the ordinal once the cluster scaled in.
		return this.pods.stream()
			.filter((pod) -> pod.ordinal() == ordinal)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No pod has ordinal " + ordinal));
	}

	RedisPod withNodeId(String nodeId) {
		return this.pods.stream()
			.filter((pod) -> pod.nodeId().equals(nodeId))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No pod has node ID " + nodeId));
	}

	static void requireRole(RedisPod pod, Role role) {
		if (pod.role() != role || !pod.isUp()) {
			throw new IllegalArgumentException(pod + " is not a running " + role);
		}
	}

	@Override
	public String toString() {
		return this.pods.toString();
	}

}
