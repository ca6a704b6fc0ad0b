package io.github.redisresilience.test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One Redis node of a {@link LocalRedisCluster}, seen as a Kubernetes pod: a stable name and data
 * directory (the persistent volume), a node ID that survives restarts, and an address that changes
 * whenever the pod is rescheduled.
 */
public final class RedisPod {

	private final int ordinal;

	private final String name;

	private final String hostname;

	private final Path dataDirectory;

	private volatile String nodeId = "";

	private volatile InetSocketAddress address;

	private volatile Role role;

	private volatile State state = State.STOPPED;

	private volatile @Nullable Process process;

	private volatile Instant pausedAt = Instant.MAX;

	private volatile boolean isolated;

	RedisPod(int ordinal, String name, String hostname, Path dataDirectory, InetSocketAddress address, Role role) {
		this.ordinal = ordinal;
		this.name = name;
		this.hostname = hostname;
		this.dataDirectory = dataDirectory;
		this.address = address;
		this.role = role;
	}

	/**
	 * The pod's ordinal, as in a StatefulSet.
	 * @return the ordinal, from 0
	 */
	public int ordinal() {
		return this.ordinal;
	}

	/**
	 * The pod's name, e.g. {@code kit-1a2b-0}.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The pod's stable DNS name under the headless service, e.g. {@code kit-1a2b-0.kit-1a2b-headless};
	 * it resolves to the pod's current address while the pod is ready.
	 * @return the host name
	 */
	public String hostname() {
		return this.hostname;
	}

	/**
	 * The Redis Cluster node ID, which stays the same when the pod moves.
	 * @return the node ID
	 */
	public String nodeId() {
		return this.nodeId;
	}

	/**
	 * The address the pod has now (its pod IP and the cluster's port).
	 * @return the current address
	 */
	public InetSocketAddress address() {
		return this.address;
	}

	/**
	 * The role the pod's node had when the cluster was last seen healthy.
	 * @return the role
	 */
	public Role role() {
		return this.role;
	}

	/**
	 * Whether the pod's process runs (paused or not).
	 * @return {@code true} if it runs
	 */
	public boolean isRunning() {
		return this.state != State.STOPPED;
	}

	/**
	 * Whether the pod's process is paused (SIGSTOP).
	 * @return {@code true} if it is frozen
	 */
	public boolean isPaused() {
		return this.state == State.PAUSED;
	}

	/**
	 * Whether the pod's address is cut off ({@link LocalRedisCluster#partition(RedisPod)}): it may
	 * run, but nobody reaches it.
	 * @return {@code true} if cut off
	 */
	public boolean isIsolated() {
		return this.isolated;
	}

	/**
	 * The PID of the pod's process.
	 * @return the PID, or -1 when stopped
	 */
	public long pid() {
		Process current = this.process;
		return (current != null && this.state != State.STOPPED) ? current.pid() : -1;
	}

	Path dataDirectory() {
		return this.dataDirectory;
	}

	@Nullable Process process() {
		return this.process;
	}

	State state() {
		return this.state;
	}

	/** Running, not frozen, reachable: the kit can talk to it. */
	boolean isUp() {
		return this.state == State.RUNNING && !this.isolated;
	}

	void isolated(boolean isolated) {
		this.isolated = isolated;
	}

	void started(Process process) {
		this.process = process;
		this.state = State.RUNNING;
	}

	void stopped() {
		this.process = null;
		this.state = State.STOPPED;
	}

	void paused(boolean paused) {
		this.pausedAt = paused ? Instant.now() : Instant.MAX;
		this.state = paused ? State.PAUSED : State.RUNNING;
	}

	Instant pausedAt() {
		return this.pausedAt;
	}

	void nodeId(String nodeId) {
		this.nodeId = nodeId;
	}

	void address(InetSocketAddress address) {
		this.address = address;
	}

	void role(Role role) {
		this.role = role;
	}

	@Override
	public String toString() {
		return this.name + "[" + this.role + " " + this.address.getHostString() + ":" + this.address.getPort() + " "
				+ this.state + (this.isolated ? " ISOLATED" : "") + "]";
	}

	enum State {

		RUNNING, PAUSED, STOPPED

	}

}
