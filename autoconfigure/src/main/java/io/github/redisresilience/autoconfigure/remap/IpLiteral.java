package io.github.redisresilience.autoconfigure.remap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Parses IP address literals without ever asking DNS: the mapping function runs on the
 * connect path, and a lookup there would add the very latency the starter removes.
 */
final class IpLiteral {

	private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

	private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[\\d.]+");

	private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+(%[\\w.-]+)?");

	private IpLiteral() {
	}

	/**
	 * Return the address bytes of an IPv4 or IPv6 literal, or {@code null} when the text is
	 * a host name or not a valid literal.
	 * @param text the host text, IPv6 optionally in brackets
	 * @return the address bytes or {@code null}
	 */
	static byte @Nullable [] parse(String text) {
		String host = unbracket(text);
		if (IPV4.matcher(host).matches()) {
			return parseIpv4(host);
		}
		if (host.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(host).matches()) {
			return parseIpv6(host);
		}
		return null;
	}

	/**
	 * Whether the text looks like an IPv4 address (only digits and dots), valid or not.
	 * @param text the host text
	 * @return {@code true} for digits and dots only
	 */
	static boolean looksLikeIpv4(String text) {
		return DIGITS_AND_DOTS.matcher(text).matches();
	}

	static String unbracket(String host) {
		if (host.length() > 1 && host.startsWith("[") && host.endsWith("]")) {
			return host.substring(1, host.length() - 1);
		}
		return host;
	}

	private static byte @Nullable [] parseIpv4(String host) {
		String[] parts = host.split("\\.");
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			int value = Integer.parseInt(parts[i]);
			if (value > 255) {
				return null;
			}
			bytes[i] = (byte) value;
		}
		return bytes;
	}

	private static byte @Nullable [] parseIpv6(String host) {
		try {
			// A text with a colon is only ever parsed as an IPv6 literal, never looked up.
			return InetAddress.getByName(host).getAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
