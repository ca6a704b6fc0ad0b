package io.github.redisresilience.autoconfigure.remap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;

/**
 * The {@code from} side of a remap rule: which announced addresses a rule applies to.
 */
sealed interface AddressPattern {

	/**
	 * Match an announced address.
	 * @param announced the address a node announced
	 * @return empty when it does not match, otherwise the regex groups (group 1 first;
	 * empty for patterns without groups)
	 */
	Optional<List<String>> match(HostAndPort announced);

	/**
	 * Return how many groups the pattern captures; only a regex captures any.
	 * @return the group count
	 */
	default int groupCount() {
		return 0;
	}

	/**
	 * Return how far the pattern reaches, which decides whether a fixed target folds nodes.
	 * @return the reach
	 */
	Reach reach();

	/**
	 * How many distinct announced addresses a pattern can match.
	 */
	enum Reach {

		/**
		 * One host and one port.
		 */
		ONE_ADDRESS,

		/**
		 * One host, any port.
		 */
		ONE_HOST,

		/**
		 * Several hosts.
		 */
		MANY_HOSTS

	}

	/**
	 * A host name or IP literal, any port.
	 *
	 * @param host the host as written
	 * @param ip the address bytes if the host is an IP literal
	 */
	record Host(String host, byte @Nullable [] ip) implements AddressPattern {

		@Override
		public Optional<List<String>> match(HostAndPort announced) {
			return sameHost(this.host, this.ip, announced.getHostText()) ? Optional.of(List.of()) : Optional.empty();
		}

		@Override
		public Reach reach() {
			return Reach.ONE_HOST;
		}

	}

	/**
	 * A host name or IP literal with a port.
	 *
	 * @param host the host as written
	 * @param ip the address bytes if the host is an IP literal
	 * @param port the port
	 */
	record Address(String host, byte @Nullable [] ip, int port) implements AddressPattern {

		@Override
		public Optional<List<String>> match(HostAndPort announced) {
			boolean matches = announced.hasPort() && announced.getPort() == this.port
					&& sameHost(this.host, this.ip, announced.getHostText());
			return matches ? Optional.of(List.of()) : Optional.empty();
		}

		@Override
		public Reach reach() {
			return Reach.ONE_ADDRESS;
		}

	}

	/**
	 * An IPv4 or IPv6 range in CIDR notation; host names never match it (no DNS lookups).
	 *
	 * @param network the network address bytes
	 * @param prefixLength the number of leading bits that must be equal
	 */
	record Cidr(byte[] network, int prefixLength) implements AddressPattern {

		@Override
		public Optional<List<String>> match(HostAndPort announced) {
			byte[] address = IpLiteral.parse(announced.getHostText());
			if (address == null || address.length != this.network.length) {
				return Optional.empty();
			}
			return inRange(address) ? Optional.of(List.of()) : Optional.empty();
		}

		private boolean inRange(byte[] address) {
			int fullBytes = this.prefixLength / 8;
			for (int i = 0; i < fullBytes; i++) {
				if (address[i] != this.network[i]) {
					return false;
				}
			}
			int remainingBits = this.prefixLength % 8;
			if (remainingBits == 0) {
				return true;
			}
			int mask = (0xFF << (8 - remainingBits)) & 0xFF;
			return (address[fullBytes] & mask) == (this.network[fullBytes] & mask);
		}

		@Override
		public Reach reach() {
			return (this.prefixLength == this.network.length * 8) ? Reach.ONE_HOST : Reach.MANY_HOSTS;
		}

		@Override
		public boolean equals(Object other) {
			return (other instanceof Cidr cidr) && this.prefixLength == cidr.prefixLength
					&& Arrays.equals(this.network, cidr.network);
		}

		@Override
		public int hashCode() {
			return 31 * Arrays.hashCode(this.network) + this.prefixLength;
		}

		@Override
		public String toString() {
			return "Cidr[" + Arrays.toString(this.network) + "/" + this.prefixLength + "]";
		}

	}

	/**
	 * A Java regular expression that must match the whole of {@code host:port}, with IPv6
	 * hosts in brackets ({@code [fd00::5]:6379}).
	 *
	 * @param pattern the compiled expression
	 */
	record Regex(Pattern pattern) implements AddressPattern {

		@Override
		public Optional<List<String>> match(HostAndPort announced) {
			Matcher matcher = this.pattern.matcher(subject(announced));
			if (!matcher.matches()) {
				return Optional.empty();
			}
			List<String> groups = new ArrayList<>(matcher.groupCount());
			for (int i = 1; i <= matcher.groupCount(); i++) {
				String group = matcher.group(i);
				groups.add((group != null) ? group : "");
			}
			return Optional.of(groups);
		}

		private static String subject(HostAndPort announced) {
			String host = announced.getHostText();
			String printedHost = (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host;
			return announced.hasPort() ? printedHost + ":" + announced.getPort() : printedHost;
		}

		@Override
		public int groupCount() {
			return this.pattern.matcher("").groupCount();
		}

		@Override
		public Reach reach() {
			return Reach.MANY_HOSTS;
		}

	}

	private static boolean sameHost(String host, byte @Nullable [] ip, String announcedHost) {
		if (ip != null) {
			byte[] announcedIp = IpLiteral.parse(announcedHost);
			if (announcedIp != null) {
				return Arrays.equals(ip, announcedIp);
			}
		}
		return host.equalsIgnoreCase(IpLiteral.unbracket(announcedHost));
	}

}

