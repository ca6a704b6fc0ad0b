package io.github.redisresilience.test;

import java.net.InetAddress;

/**
 * A pod IP cut off with iptables: every TCP packet from or to it is dropped, on the client and the
 * cluster bus port alike, as when the Kubernetes node hosting the pod is lost
 * ({@link LocalRedisCluster#partition(RedisPod)}), its cluster bus traffic only
 * ({@link LocalRedisCluster#cutClusterBus(RedisPod)}), or its replies to clients
 * ({@link LocalRedisCluster#cutRepliesToClients(RedisPod)}). Connections already open hang, new ones time
 * out. Close it to reconnect the address; the cluster closes it at the latest.
 */
public final class Partition implements AutoCloseable {

	private final InetAddress address;

	private final Runnable restore;

	private boolean closed;

	Partition(InetAddress address, Runnable restore) {
		this.address = address;
		this.restore = restore;
	}

	/**
	 * The address cut off.
	 * @return the address
	 */
	public InetAddress address() {
		return this.address;
	}

	@Override
	public synchronized void close() {
		if (!this.closed) {
			this.closed = true;
			this.restore.run();
		}
	}

	@Override
	public String toString() {
		return "Partition " + this.address.getHostAddress() + (this.closed ? " (closed)" : "");
	}

}
