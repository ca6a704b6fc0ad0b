package io.github.redisresilience.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An address where connection attempts hang instead of being refused, like a vanished pod IP.
 * <p>
 * Works without root: a listener that never accepts, with a backlog of one, is filled with the
 * kit's own connections; Linux then drops further SYNs, so a client's connect waits for its own
 * timeout. Close it to release the address.
 */
public final class BlackHole implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(BlackHole.class);

	/** A refused or accepted connect on loopback takes microseconds; a dropped SYN is retried after a second. */
	private static final int PROBE_TIMEOUT_MILLIS = 50;

	private static final int MAX_FILLERS = 16;

	private final InetSocketAddress address;

	private final ServerSocket listener;

	private final List<Socket> fillers = new ArrayList<>();

	private BlackHole(InetSocketAddress address, ServerSocket listener) {
		this.address = address;
		this.listener = listener;
	}

	/**
	 * Opens a black hole at a loopback address.
	 * @param address a free loopback address and port
	 * @return the black hole, holding the address until closed
	 * @throws IllegalArgumentException if the address is not a loopback address
	 * @throws UncheckedIOException if the address is in use or cannot be filled
	 */
	public static BlackHole open(InetSocketAddress address) {
		if (!address.getAddress().isLoopbackAddress()) {
			throw new IllegalArgumentException("The kit only touches loopback addresses, not " + address);
		}
		ServerSocket listener = null;
		try {
			listener = new ServerSocket();
			listener.setReuseAddress(true);
			listener.bind(address, 1);
			BlackHole hole = new BlackHole(address, listener);
			hole.fill();
			logger.debug("Black hole open at {}", address);
			return hole;
		}
		catch (IOException ex) {
			closeQuietly(listener);
			throw new UncheckedIOException("Could not open a black hole at " + address, ex);
		}
	}

	/**
	 * The address that swallows connection attempts.
	 * @return the address
	 */
	public InetSocketAddress address() {
		return this.address;
	}

	private void fill() throws IOException {
		for (int i = 0; i < MAX_FILLERS; i++) {
			Socket filler = new Socket();
			try {
				filler.connect(this.address, PROBE_TIMEOUT_MILLIS);
				this.fillers.add(filler);
			}
			catch (SocketTimeoutException ex) {
				filler.close();
				return;
			}
		}
		close();
		throw new IOException("The accept queue at " + this.address + " never filled up");
	}

	@Override
	public void close() {
		this.fillers.forEach(BlackHole::closeQuietly);
		this.fillers.clear();
		closeQuietly(this.listener);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception ex) {
			logger.debug("Could not close {}", closeable, ex);
		}
	}

	@Override
	public String toString() {
		return "BlackHole " + this.address;
	}

}
