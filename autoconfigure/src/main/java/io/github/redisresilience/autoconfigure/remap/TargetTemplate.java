package io.github.redisresilience.autoconfigure.remap;

import java.util.List;

import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;

/**
 * The {@code to} side of a remap rule: a host template and an optional port template.
 * Host and port are kept apart so that an IPv6 host never gets confused with a port.
 *
 * @param host the parts of the host
 * @param port the parts of the port, or {@code null} to keep the announced port
 */
record TargetTemplate(List<Part> host, @Nullable List<Part> port) {

	/**
	 * Render the address to dial.
	 * @param announced the announced address
	 * @param groups the regex groups, group 1 first
	 * @param rule the rule's name, for error messages
	 * @return the address to dial
	 * @throws IllegalStateException if the rendered host is empty or the port is invalid
	 */
	HostAndPort render(HostAndPort announced, List<String> groups, String rule) {
		String renderedHost = IpLiteral.unbracket(render(this.host, announced, groups));
		if (renderedHost.isEmpty()) {
			throw new IllegalStateException(
					"Remap rule " + rule + " produced an empty host for the announced address " + announced);
		}
		return HostAndPort.of(renderedHost, renderPort(announced, groups, rule));
	}

	private int renderPort(HostAndPort announced, List<String> groups, String rule) {
		if (this.port == null) {
			return announced.getPort();
		}
		String text = render(this.port, announced, groups);
		int value = TemplateParser.parsePort(text);
		if (value < 0) {
			throw new IllegalStateException("Remap rule " + rule + " produced the port '" + text
					+ "' for the announced address " + announced + ", which is not a port number from 1 to 65535");
		}
		return value;
	}

	private static String render(List<Part> parts, HostAndPort announced, List<String> groups) {
		StringBuilder text = new StringBuilder();
		for (Part part : parts) {
			text.append(part.render(announced, groups));
		}
		return text.toString();
	}

	/**
	 * Whether the host is the same for every announced address.
	 * @return {@code true} if the host has no placeholder
	 */
	boolean hasFixedHost() {
		return this.host.stream().allMatch(Literal.class::isInstance);
	}

	/**
	 * Whether the port is written as a number, the same for every announced address.
	 * @return {@code true} for a literal port
	 */
	boolean hasFixedPort() {
		return this.port != null && this.port.stream().allMatch(Literal.class::isInstance);
	}

	/**
	 * Whether the port is the announced one, because it is left out or written {port}.
	 * @return {@code true} if the announced port is kept
	 */
	boolean keepsAnnouncedPort() {
		return this.port == null || (this.port.size() == 1 && this.port.get(0) instanceof AnnouncedPort);
	}

	/**
	 * Whether the port takes a regex group, so it can differ between hosts.
	 * @return {@code true} if the port has a group placeholder
	 */
	boolean hasPortFromGroup() {
		return this.port != null && this.port.stream().anyMatch(Group.class::isInstance);
	}

	/**
	 * Return the highest regex group the template refers to.
	 * @return the highest group index, 0 if none
	 */
	int highestGroup() {
		int highest = highestGroup(this.host);
		return (this.port != null) ? Math.max(highest, highestGroup(this.port)) : highest;
	}

	private static int highestGroup(List<Part> parts) {
		return parts.stream().filter(Group.class::isInstance).mapToInt((part) -> ((Group) part).index()).max().orElse(0);
	}

	/**
	 * Return the fixed host text, lower case, for comparing targets.
	 * @return the fixed host
	 */
	String fixedHost() {
		return IpLiteral.unbracket(render(this.host, HostAndPort.of("unused", 1), List.of())).toLowerCase();
	}

	/**
	 * Return the fixed port, only meaningful when {@link #hasFixedPort()}.
	 * @return the port
	 */
	int fixedPort() {
		return TemplateParser.parsePort(render(this.port, HostAndPort.of("unused", 1), List.of()));
	}

	/**
	 * A piece of a template.
	 */
	sealed interface Part {

		String render(HostAndPort announced, List<String> groups);

	}

	/**
	 * Text copied as it is.
	 *
	 * @param text the text
	 */
	record Literal(String text) implements Part {

		@Override
		public String render(HostAndPort announced, List<String> groups) {
			return this.text;
		}

	}

	/**
	 * The announced host, {@code {host}}.
	 */
	record AnnouncedHost() implements Part {

		@Override
		public String render(HostAndPort announced, List<String> groups) {
			return announced.getHostText();
		}

	}

	/**
	 * The announced port, {@code {port}}.
	 */
	record AnnouncedPort() implements Part {

		@Override
		public String render(HostAndPort announced, List<String> groups) {
			return String.valueOf(announced.getPort());
		}

	}

	/**
	 * A regex group, {@code {1}} to {@code {9}}.
	 *
	 * @param index the group index, from 1
	 */
	record Group(int index) implements Part {

		@Override
		public String render(HostAndPort announced, List<String> groups) {
			return groups.get(this.index - 1);
		}

	}

}
