package io.github.redisresilience.autoconfigure.suspect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;

/**
 * The remote end of a connection as Netty prints it ({@code name/ip:port}, the name empty when
 * the address was dialled as an IP), to find the node it belongs to.
 *
 * @param name the host name the connection was made to, {@code null} if none
 * @param ip the IP address
 * @param port the port
 */
record RemoteAddress(@Nullable String name, String ip, int port) {

	static Optional<RemoteAddress> parse(String text) {
		int slash = text.indexOf('/');
		int colon = text.lastIndexOf(':');
		if (slash < 0 || colon < slash) {
			return Optional.empty();
		}
		try {
			int port = Integer.parseInt(text.substring(colon + 1));
			String name = (slash > 0) ? text.substring(0, slash) : null;
			return Optional.of(new RemoteAddress(name, text.substring(slash + 1, colon), port));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Whether this is where a node dialled at the given address is reached. A host name is
	 * resolved with the JDK resolver, as the connection's own may have been: call it off the
	 * event loop.
	 */
	boolean isReachedBy(HostAndPort dialled) {
		if (dialled.getPort() != this.port) {
			return false;
		}
		if (dialled.getHostText().equalsIgnoreCase(this.name)) {
			return true;
		}
		try {
			InetAddress remote = InetAddress.getByName(this.ip);
			return Arrays.asList(InetAddress.getAllByName(dialled.getHostText())).contains(remote);
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
