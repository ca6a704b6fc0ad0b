package io.github.redisresilience.autoconfigure.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Parses {@code redis.resilience.dns.servers}: name servers as {@code ip:port}, {@code ip}
 * (port 53), {@code [ipv6]:port} or a bare IPv6 address.
 */
final class NameServers {

	static final String PROPERTY = "redis.resilience.dns.servers";

	private static final int DNS_PORT = 53;

	private static final String EXAMPLE = "10.96.0.10:53";

	private NameServers() {
	}

	/**
	 * Parse every entry, in order.
	 * @param values the bound values
	 * @return the addresses, resolved (IP literals: no lookup happens)
	 * @throws InvalidResilienceSettingException naming the first entry that cannot be used
	 */
	static List<InetSocketAddress> parse(List<String> values) {
		List<InetSocketAddress> servers = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			servers.add(parse(PROPERTY + "[" + i + "]", values.get(i)));
		}
		return List.copyOf(servers);
	}

	private static InetSocketAddress parse(String property, @Nullable String raw) {
		String value = (raw != null) ? raw.strip() : "";
		if (value.isEmpty()) {
			throw new InvalidResilienceSettingException(property, "", "the entry is empty",
					"list each name server as ip:port, such as " + EXAMPLE + ", or remove the empty entry.");
		}
		String host;
		String port = null;
		if (value.startsWith("[")) {
			int end = value.indexOf(']');
			if (end < 0) {
				throw new InvalidResilienceSettingException(property, value, "the IPv6 address has no closing ']'",
						"write an IPv6 name server as [address]:port, such as [fd00::10]:53.");
			}
			host = value.substring(1, end);
			String rest = value.substring(end + 1);
			if (!rest.isEmpty()) {
				if (!rest.startsWith(":")) {
					throw new InvalidResilienceSettingException(property, value, "only ':port' may follow the ']'",
							"write an IPv6 name server as [address]:port, such as [fd00::10]:53.");
				}
				port = rest.substring(1);
			}
		}
		else if (value.indexOf(':') != value.lastIndexOf(':')) {
			// Several colons and no brackets: a bare IPv6 address, on the DNS port.
			host = value;
		}
		else {
			int colon = value.indexOf(':');
			host = (colon < 0) ? value : value.substring(0, colon);
			port = (colon < 0) ? null : value.substring(colon + 1);
		}
		return new InetSocketAddress(address(property, value, host), port(property, value, port));
	}

	private static InetAddress address(String property, String value, String host) {
		if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
			throw new InvalidResilienceSettingException(property, value,
					"a name server must be given by its IP address ('" + host + "' is not one): a name would "
							+ "itself need a name server to be found",
					"use the server's IP address, such as " + EXAMPLE
							+ " (in Kubernetes, the ClusterIP of the kube-dns Service).");
		}
		try {
			// An IP literal: InetAddress parses it without a lookup.
			return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(host));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("A valid IP literal was refused: " + host, ex);
		}
	}

	private static int port(String property, String value, @Nullable String port) {
		if (port == null) {
			return DNS_PORT;
		}
		int parsed;
		try {
			parsed = Integer.parseInt(port);
		}
		catch (NumberFormatException ex) {
			parsed = -1;
		}
		if (parsed < 1 || parsed > 65535) {
			throw new InvalidResilienceSettingException(property, value, "the port '" + port + "' is not between 1 and 65535",
					"write the name server as ip:port, such as " + EXAMPLE + ", or leave the port out for 53.");
		}
		return parsed;
	}

}
