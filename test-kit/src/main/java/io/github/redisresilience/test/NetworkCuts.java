package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts pods off the network with iptables while their processes keep running: their whole IP, the
 * cluster bus only, or the replies to clients only. The chain is made on the first cut, so a kit
 * that never cuts needs neither root nor iptables.
 */
final class NetworkCuts {

	// The facade's name: the kit's log reads as one cluster's story, as it did from one class.
	private static final Logger logger = LoggerFactory.getLogger(LocalRedisCluster.class);

	/** The node timeout of a pod cut off the cluster bus: longer than any freeze a test holds it in. */
	private static final Duration CUT_NODE_TIMEOUT = Duration.ofMinutes(10);

	private final String cluster;

	private final ClusterSettings settings;

	private final AdminConnections admin;

	/** Created on the first partition or other cut: without it the kit needs neither root nor iptables. */
	private @Nullable IptablesChain iptables;

	NetworkCuts(String cluster, ClusterSettings settings, AdminConnections admin) {
		this.cluster = cluster;
		this.settings = settings;
		this.admin = admin;
	}

	Partition partition(RedisPod pod) {
		return cutOff(pod, IptablesChain::drop, true, () -> {
		});
	}

	Partition cutClusterBus(RedisPod pod) {
		int busPort = this.settings.busPort();
		// A pod that hears from no peer for the node timeout flags the peers it had pinged as
		// failing and, left without a majority, answers CLUSTERDOWN: after a freeze longer than
		// that, it would do so as soon as it wakes whenever pings to the other masters were
		// pending at the cut. Its own timeout is raised for the cut, so it serves as the master
		// it believes it is, as documented; the rest of the cluster keeps its timeout.
		boolean raised = pod.isRunning() && !pod.isPaused();
		if (raised) {
			setNodeTimeout(pod, CUT_NODE_TIMEOUT);
		}
		Runnable restoreNodeTimeout = () -> {
			if (raised && pod.isRunning() && !pod.isPaused()) {
				setNodeTimeout(pod, this.settings.nodeTimeout());
			}
		};
		try {
			return cutOff(pod, (chain, address) -> chain.dropClusterBus(address, busPort), true, restoreNodeTimeout);
		}
		catch (RuntimeException ex) {
			restoreNodeTimeout.run();
			throw ex;
		}
	}

	private void setNodeTimeout(RedisPod pod, Duration timeout) {
		try {
			this.admin.callOn(pod, "CONFIG", "SET", "cluster-node-timeout", Long.toString(timeout.toMillis()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not set the node timeout of " + pod, ex);
		}
	}

	Partition cutRepliesToClients(RedisPod pod) {
		int port = this.settings.port();
		return cutOff(pod, (chain, address) -> chain.dropReplies(address, port), false, () -> {
		});
	}

	/**
	 * @param cutsBus whether the cut drops cluster bus traffic, whose connections are then aborted
	 * before it ends (see {@link StaleBusConnections})
	 */
	private Partition cutOff(RedisPod pod, BiConsumer<IptablesChain, InetAddress> drop, boolean cutsBus,
			Runnable afterRestore) {
		if (!pod.isRunning()) {
			throw new IllegalStateException(pod + " is not running");
		}
		if (this.iptables == null) {
			IptablesChain.unavailableReason().ifPresent((reason) -> {
				throw new IllegalStateException(reason);
			});
			this.iptables = IptablesChain.open(this.cluster);
		}
		IptablesChain chain = this.iptables;
		InetAddress address = pod.address().getAddress();
		drop.accept(chain, address);
		pod.isolated(true);
		logger.debug("Cut off {} ({})", pod, chain);
		int busPort = this.settings.busPort();
		return new Partition(address, () -> {
			try {
				if (cutsBus) {
					StaleBusConnections.abort(address, busPort);
				}
				chain.restore(address);
			}
			finally {
				if (pod.address().getAddress().equals(address)) {
					pod.isolated(false);
					afterRestore.run();
				}
			}
		});
	}

	/** Removes the chain and every rule in it: every cut still open ends. */
	void close() {
		if (this.iptables != null) {
			try {
				this.iptables.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not remove {}: {}", this.iptables, ex.toString());
			}
		}
	}

}
