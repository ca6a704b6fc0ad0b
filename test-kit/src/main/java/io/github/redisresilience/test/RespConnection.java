package io.github.redisresilience.test;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * A blocking RESP2 connection for the kit's administration commands.
 * <p>
 * The kit talks to nodes that may be frozen or black-holed, so every call needs a hard socket
 * timeout, and it must behave the same whichever Redis client (and version) the code under test
 * uses; a few dozen lines of protocol give both without sharing a client with the application.
 */
final class RespConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RespConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = new BufferedOutputStream(socket.getOutputStream());
	}

	static RespConnection open(InetSocketAddress address, Duration timeout) throws IOException {
		return new RespConnection(connect(address, timeout));
	}

	/**
	 * Opens a TLS connection that dials the address and verifies the server's certificate
	 * against the host name, as a client that resolved that name would.
	 * @param address the node's address
	 * @param hostname the name the certificate must be valid for
	 * @param timeout connect, handshake and read timeout
	 * @param tls the socket factory that trusts the cluster's CA
	 * @return the connection, handshake done
	 */
	static RespConnection openTls(InetSocketAddress address, String hostname, Duration timeout, SSLSocketFactory tls)
			throws IOException {
		Socket plain = connect(address, timeout);
		try {
			SSLSocket socket = (SSLSocket) tls.createSocket(plain, hostname, address.getPort(), true);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			return new RespConnection(socket);
		}
		catch (IOException ex) {
			plain.close();
			throw ex;
		}
	}

	private static Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(address, (int) timeout.toMillis());
			socket.setSoTimeout((int) timeout.toMillis());
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Sends one command and reads its reply.
	 * @return a String, Long, List or {@code null}
	 * @throws RedisErrorReply when Redis answers with an error
	 */
	@Nullable Object call(String... command) throws IOException {
		this.out.write(('*' + Integer.toString(command.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		for (String part : command) {
			byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
			this.out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			this.out.write(bytes);
			this.out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		this.out.flush();
		return read();
	}

	String callForString(String... command) throws IOException {
		Object reply = call(command);
		return (reply != null) ? reply.toString() : "";
	}

	private @Nullable Object read() throws IOException {
		int type = this.in.read();
		if (type == -1) {
			throw new IOException("Connection closed by " + this.socket.getRemoteSocketAddress());
		}
		String line = readLine();
		switch (type) {
			case '+':
				return line;
			case '-':
				throw new RedisErrorReply(line);
			case ':':
				return Long.parseLong(line);
			case '$':
				return readBulk(Integer.parseInt(line));
			case '*':
				return readArray(Integer.parseInt(line));
			default:
				throw new IOException("Unexpected RESP type '" + (char) type + "'");
		}
	}

	private @Nullable String readBulk(int length) throws IOException {
		if (length < 0) {
			return null;
		}
		byte[] bytes = this.in.readNBytes(length);
		readLine();
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private @Nullable List<@Nullable Object> readArray(int length) throws IOException {
		if (length < 0) {
			return null;
		}
		List<@Nullable Object> items = new ArrayList<>(length);
		for (int i = 0; i < length; i++) {
			items.add(read());
		}
		return items;
	}

	private String readLine() throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = this.in.read()) != '\r') {
			if (c == -1) {
				throw new IOException("Connection closed in the middle of a reply");
			}
			line.append((char) c);
		}
		this.in.read();
		return line.toString();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * An error reply from Redis, such as {@code MOVED 3999 127.0.0.1:6381}.
	 */
	static final class RedisErrorReply extends IOException {

		RedisErrorReply(String message) {
			super(message);
		}

	}

}
