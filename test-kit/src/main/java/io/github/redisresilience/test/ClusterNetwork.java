package io.github.redisresilience.test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;

/**
 * The cluster's loopback network: hands out new pod addresses, moves pods to them, and holds the
 * black holes left at old addresses or opened by tests until they are released or the cluster
 * closes.
 */
final class ClusterNetwork {

	private final AddressPool addresses;

	private final List<BlackHole> blackHoles = new ArrayList<>();

	/** The black holes moves left at old addresses ({@link OldAddresses#BLACK_HOLE}), until released. */
	private final List<BlackHole> oldAddressHoles = new ArrayList<>();

	ClusterNetwork(AddressPool addresses) {
		this.addresses = addresses;
	}

	InetSocketAddress nextAddress() {
		return this.addresses.next();
	}

	/** Gives the pod a new address; its process must be stopped and started again to use it. */
	AddressChange relocate(RedisPod pod, OldAddresses oldAddresses) {
		InetSocketAddress from = pod.address();
		InetSocketAddress to = this.addresses.next();
		pod.address(to);
		// A cut-off address stays cut off; the pod's new one is reachable.
		pod.isolated(false);
		if (oldAddresses == OldAddresses.BLACK_HOLE) {
			this.oldAddressHoles.add(BlackHole.open(from));
			this.oldAddressHoles.add(BlackHole.open(new InetSocketAddress(from.getAddress(), from.getPort() + 10_000)));
		}
		return new AddressChange(pod.nodeId(), from, to);
	}

	BlackHole blackHole(InetSocketAddress address) {
		BlackHole hole = BlackHole.open(address);
		this.blackHoles.add(hole);
		return hole;
	}

	int releaseOldAddresses() {
		int released = this.oldAddressHoles.size();
		this.oldAddressHoles.forEach(BlackHole::close);
		this.oldAddressHoles.clear();
		return released;
	}

	/** The black holes tests opened, then those moves left. */
	void close() {
		this.blackHoles.forEach(BlackHole::close);
		this.blackHoles.clear();
		releaseOldAddresses();
	}

}
