package io.github.redisresilience.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.random.RandomGenerator;

/**
 * Hands out pod IPs: loopback addresses never used before by this cluster, on which the cluster's
 * client and bus ports are free.
 * <p>
 * Linux routes all of 127.0.0.0/8 to the loopback interface, so any of its addresses can be bound
 * without configuration. Each cluster starts in a random /24 above 127.16.0.0, away from
 * 127.0.0.1 and from other clusters, and moves to a new random /24 when one is used up.
 */
final class AddressPool {

	private static final int MAX_ATTEMPTS = 2_000;

	private final int port;

	private final int busPort;

	private final RandomGenerator random;

	private int block;

	private int next = 1;

	AddressPool(int port, RandomGenerator random) {
		this.port = port;
		this.busPort = port + 10_000;
		this.random = random;
		this.block = randomBlock();
	}

	InetSocketAddress next() {
		for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
			if (this.next > 254) {
				this.block = randomBlock();
				this.next = 1;
			}
			InetAddress candidate = address(this.block, this.next++);
			if (isFree(candidate, this.port) && isFree(candidate, this.busPort)) {
				return new InetSocketAddress(candidate, this.port);
			}
		}
		throw new IllegalStateException("No free loopback address with ports " + this.port + " and " + this.busPort);
	}

	private int randomBlock() {
		// 127.16.0.0 to 127.250.255.0: far from 127.0.0.1 and 127.0.1.1, which hosts files use.
		return this.random.nextInt(16 << 8, 251 << 8);
	}

	private static InetAddress address(int block, int host) {
		byte[] bytes = { 127, (byte) (block >> 8), (byte) block, (byte) host };
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static boolean isFree(InetAddress address, int port) {
		try (ServerSocket probe = new ServerSocket()) {
			probe.bind(new InetSocketAddress(address, port), 1);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
