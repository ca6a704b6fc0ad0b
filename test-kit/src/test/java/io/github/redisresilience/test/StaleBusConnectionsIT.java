package io.github.redisresilience.test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A healed cut aborts the cut address's cluster bus connections, inbound and outbound, and nothing else.
 * Needs root, as the cuts themselves do.
 */
@RequiresIptables
class StaleBusConnectionsIT {

	private final List<AutoCloseable> opened = new ArrayList<>();

	@AfterEach
	void closeEverything() throws Exception {
		for (AutoCloseable closeable : this.opened) {
			closeable.close();
		}
	}

	@Test
	void abortsTheConnectionsOnTheBusPortOfTheAddressAndLeavesTheOthers() throws Exception {
		InetAddress pod = InetAddress.getByName("127.77.7.7");
		InetAddress peer = InetAddress.getByName("127.77.7.8");
		ServerSocket bus = listen(pod);
		ServerSocket peerBus = listen(peer, bus.getLocalPort());
		ServerSocket client = listen(pod);
		Connection inbound = connect(peer, bus);
		Connection outbound = connect(pod, peerBus);
		Connection clientConnection = connect(peer, client);

		StaleBusConnections.abort(pod, bus.getLocalPort());

		assertThat(isAborted(inbound.client())).as("a peer's connection to the pod's bus port").isTrue();
		assertThat(isAborted(inbound.server())).as("its end in the pod").isTrue();
		assertThat(isAborted(outbound.client())).as("the pod's connection to a peer's bus port").isTrue();
		assertThat(isAborted(outbound.server())).as("its end in the peer").isTrue();
		assertThat(isAborted(clientConnection.client())).as("a client's connection to another port").isFalse();
		assertThat(isAborted(clientConnection.server())).as("its end in the pod").isFalse();
	}

	private ServerSocket listen(InetAddress address) throws IOException {
		return listen(address, 0);
	}

	private ServerSocket listen(InetAddress address, int port) throws IOException {
		ServerSocket server = new ServerSocket();
		server.bind(new InetSocketAddress(address, port));
		this.opened.add(server);
		return server;
	}

	private Connection connect(InetAddress from, ServerSocket to) throws IOException {
		Socket client = new Socket();
		this.opened.add(client);
		client.bind(new InetSocketAddress(from, 0));
		client.connect(to.getLocalSocketAddress(), 1000);
		Socket server = to.accept();
		this.opened.add(server);
		return new Connection(client, server);
	}

	/** Whether the socket was reset or closed under it: a read fails or ends at once, never waits. */
	private static boolean isAborted(Socket socket) throws IOException {
		socket.setSoTimeout(200);
		try {
			InputStream input = socket.getInputStream();
			return input.read() == -1;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	private record Connection(Socket client, Socket server) {

	}

}
