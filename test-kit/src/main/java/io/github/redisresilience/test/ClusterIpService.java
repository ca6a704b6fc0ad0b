package io.github.redisresilience.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes ClusterIP Service in front of the pods: one virtual address where each new
 * connection is forwarded to a random ready pod, as kube-proxy does, while established
 * connections stay with the pod they reached (and break when it goes).
 */
public final class ClusterIpService implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ClusterIpService.class);

	private static final int CONNECT_TIMEOUT_MILLIS = 1000;

	private final InetSocketAddress address;

	private final ServerSocket listener;

	private final Supplier<List<InetSocketAddress>> readyPods;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Thread acceptor;

	private volatile boolean open = true;

	private ClusterIpService(InetSocketAddress address, ServerSocket listener, Supplier<List<InetSocketAddress>> readyPods) {
		this.address = address;
		this.listener = listener;
		this.readyPods = readyPods;
		this.acceptor = new Thread(this::acceptLoop, "cluster-ip-" + address.getHostString());
		this.acceptor.setDaemon(true);
	}

	static ClusterIpService open(InetSocketAddress address, Supplier<List<InetSocketAddress>> readyPods) throws IOException {
		ServerSocket listener = new ServerSocket();
		listener.setReuseAddress(true);
		listener.bind(address, 128);
		ClusterIpService service = new ClusterIpService(address, listener, readyPods);
		service.acceptor.start();
		return service;
	}

	/**
	 * The virtual address of the service.
	 * @return the address clients connect to
	 */
	public InetSocketAddress address() {
		return this.address;
	}

	private void acceptLoop() {
		while (this.open) {
			try {
				Socket client = this.listener.accept();
				// Connecting to a black-holed pod can take the whole connect timeout: do it off the
				// accept loop, so one dead pod never delays the connections to the others.
				Thread connector = new Thread(() -> forward(client), "cluster-ip-connect");
				connector.setDaemon(true);
				connector.start();
			}
			catch (IOException ex) {
				if (this.open) {
					logger.debug("ClusterIP service {} could not accept a connection", this.address, ex);
				}
			}
		}
	}

	private void forward(Socket client) {
		List<InetSocketAddress> pods = this.readyPods.get();
		if (pods.isEmpty()) {
			closeQuietly(client);
			return;
		}
		InetSocketAddress pod = pods.get(ThreadLocalRandom.current().nextInt(pods.size()));
		Socket backend = new Socket();
		// Registered before connecting, so that close() also ends a connection still being set up.
		this.sockets.add(client);
		this.sockets.add(backend);
		try {
			backend.connect(pod, CONNECT_TIMEOUT_MILLIS);
		}
		catch (IOException ex) {
			logger.debug("ClusterIP service {} could not reach {}", this.address, pod, ex);
			release(client, backend);
			return;
		}
		if (!this.open) {
			release(client, backend);
			return;
		}
		pump(client, backend, "up");
		pump(backend, client, "down");
	}

	private void pump(Socket from, Socket to, String direction) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// The other side is gone: close both, as a proxied connection does.
			}
			finally {
				release(from, to);
			}
		}, "cluster-ip-" + direction);
		thread.setDaemon(true);
		thread.start();
	}

	private void release(Socket one, Socket other) {
		closeQuietly(one);
		closeQuietly(other);
		this.sockets.remove(one);
		this.sockets.remove(other);
	}

	/**
	 * Stops accepting and closes every forwarded connection.
	 */
	@Override
	public void close() {
		this.open = false;
		closeQuietly(this.listener);
		this.sockets.forEach(ClusterIpService::closeQuietly);
		this.sockets.clear();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			if (!(ex instanceof SocketException)) {
				logger.debug("Could not close {}", closeable, ex);
			}
		}
	}

	@Override
	public String toString() {
		return "ClusterIpService " + this.address;
	}

}
