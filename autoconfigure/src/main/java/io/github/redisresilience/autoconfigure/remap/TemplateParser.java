package io.github.redisresilience.autoconfigure.remap;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.autoconfigure.remap.TargetTemplate.AnnouncedHost;
import io.github.redisresilience.autoconfigure.remap.TargetTemplate.AnnouncedPort;
import io.github.redisresilience.autoconfigure.remap.TargetTemplate.Group;
import io.github.redisresilience.autoconfigure.remap.TargetTemplate.Literal;
import io.github.redisresilience.autoconfigure.remap.TargetTemplate.Part;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Parses the {@code to} side of a remap rule. Placeholders are written {@code {host}},
 * {@code {port}} and {@code {1}} to {@code {9}}; never {@code ${...}}, which Spring would
 * resolve itself before the rule is read.
 */
final class TemplateParser {

	private static final Pattern HOST_CHARACTERS = Pattern.compile("[A-Za-z0-9._-]*");

	private static final Pattern BRACKETED_HOST_CHARACTERS = Pattern.compile("[A-Fa-f0-9:.%\\w-]*");

	private static final Pattern DIGITS = Pattern.compile("\\d{1,5}");

	private static final String EXAMPLES = "write it as host, host:port or [IPv6]:port, optionally with the "
			+ "placeholders {host}, {port} and {1} to {9} (regex groups), for example 'node-{1}.example:{port}'.";

	private TemplateParser() {
	}

	/**
	 * Parse a target template.
	 * @param to the text
	 * @param property the full property name for errors
	 * @param groupCount the number of groups the rule's regex captures, 0 without regex
	 * @param regex whether the rule's {@code from} is a regex
	 * @return the template
	 * @throws InvalidResilienceSettingException if the text is not a valid template
	 */
	static TargetTemplate parse(@Nullable String to, String property, int groupCount, boolean regex) {
		if (to == null || to.isBlank()) {
			throw new InvalidResilienceSettingException(property, String.valueOf(to), "it must not be empty", EXAMPLES);
		}
		String text = to.strip();
		String[] hostAndPort = split(text, property);
		boolean bracketed = text.startsWith("[");
		List<Part> host = parts(hostAndPort[0], text, property);
		List<Part> port = (hostAndPort[1] != null) ? parts(hostAndPort[1], text, property) : null;
		checkHost(host, bracketed, text, property);
		if (port != null) {
			checkPort(port, text, property);
		}
		TargetTemplate template = new TargetTemplate(host, port);
		checkGroups(template.highestGroup(), groupCount, regex, text, property);
		return template;
	}

	/**
	 * Parse a port number.
	 * @param text the text
	 * @return the port, or -1 if the text is not a number from 1 to 65535
	 */
	static int parsePort(String text) {
		if (!DIGITS.matcher(text).matches()) {
			return -1;
		}
		int port = Integer.parseInt(text);
		return (port >= 1 && port <= 65535) ? port : -1;
	}

	private static String[] split(String text, String property) {
		if (text.startsWith("[")) {
			return splitBracketed(text, property);
		}
		int colons = (int) text.chars().filter((c) -> c == ':').count();
		if (colons == 0) {
			return new String[] { text, null };
		}
		if (colons > 1) {
			throw new InvalidResilienceSettingException(property, text, "an IPv6 address must be written in brackets",
					"write it as [address]:port, for example '[fd00::1]:6379'.");
		}
		int colon = text.indexOf(':');
		return new String[] { text.substring(0, colon), nonEmptyPort(text.substring(colon + 1), text, property) };
	}

	private static String[] splitBracketed(String text, String property) {
		int close = text.indexOf(']');
		if (close < 0) {
			throw new InvalidResilienceSettingException(property, text, "the bracket around the IPv6 address is not closed",
					"write it as [address]:port, for example '[fd00::1]:6379'.");
		}
		String host = text.substring(1, close);
		String rest = text.substring(close + 1);
		if (rest.isEmpty()) {
			return new String[] { host, null };
		}
		if (!rest.startsWith(":")) {
			throw new InvalidResilienceSettingException(property, text, "only ':' and a port may follow the closing bracket",
					"write it as [address]:port, for example '[fd00::1]:6379'.");
		}
		return new String[] { host, nonEmptyPort(rest.substring(1), text, property) };
	}

	private static String nonEmptyPort(String port, String text, String property) {
		if (port.isEmpty()) {
			throw new InvalidResilienceSettingException(property, text, "the port after ':' is empty",
					"add a port from 1 to 65535 or {port}, or remove the ':' to keep the announced port.");
		}
		return port;
	}

	private static List<Part> parts(String text, String whole, String property) {
		List<Part> parts = new ArrayList<>();
		StringBuilder literal = new StringBuilder();
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == '}') {
				throw new InvalidResilienceSettingException(property, whole, "it has a '}' without a matching '{'", EXAMPLES);
			}
			if (c != '{') {
				literal.append(c);
				i++;
				continue;
			}
			int close = text.indexOf('}', i);
			if (close < 0) {
				throw new InvalidResilienceSettingException(property, whole, "the placeholder starting with '{' is not closed",
						EXAMPLES);
			}
			if (!literal.isEmpty()) {
				parts.add(new Literal(literal.toString()));
				literal.setLength(0);
			}
			parts.add(placeholder(text.substring(i + 1, close), whole, property));
			i = close + 1;
		}
		if (!literal.isEmpty()) {
			parts.add(new Literal(literal.toString()));
		}
		return parts;
	}

	private static Part placeholder(String name, String whole, String property) {
		if (name.equals("host")) {
			return new AnnouncedHost();
		}
		if (name.equals("port")) {
			return new AnnouncedPort();
		}
		if (name.length() == 1 && name.charAt(0) >= '1' && name.charAt(0) <= '9') {
			return new Group(name.charAt(0) - '0');
		}
		throw new InvalidResilienceSettingException(property, whole, "'{" + name + "}' is not a placeholder",
				"use {host}, {port} or a regex group from {1} to {9}.");
	}

	private static void checkHost(List<Part> host, boolean bracketed, String whole, String property) {
		if (host.isEmpty()) {
			throw new InvalidResilienceSettingException(property, whole, "the host is empty", EXAMPLES);
		}
		Pattern allowed = bracketed ? BRACKETED_HOST_CHARACTERS : HOST_CHARACTERS;
		for (Part part : host) {
			if (part instanceof Literal literal && !allowed.matcher(literal.text()).matches()) {
				throw new InvalidResilienceSettingException(property, whole,
						"the host part '" + literal.text() + "' has characters a host name cannot have", EXAMPLES);
			}
		}
	}

	private static void checkPort(List<Part> port, String whole, String property) {
		for (Part part : port) {
			if (part instanceof AnnouncedHost) {
				throw new InvalidResilienceSettingException(property, whole, "{host} cannot be part of a port",
						"use {port}, a number from 1 to 65535 or a regex group such as {1} after the ':'.");
			}
			if (part instanceof Literal literal && !literal.text().chars().allMatch(Character::isDigit)) {
				throw new InvalidResilienceSettingException(property, whole, "the port '" + literal.text() + "' is not a number",
						"use a number from 1 to 65535, {port} or a regex group such as {1} after the ':'.");
			}
		}
		boolean fixed = port.stream().allMatch(Literal.class::isInstance);
		if (fixed && parsePort(((Literal) port.get(0)).text()) < 0) {
			throw new InvalidResilienceSettingException(property, whole, "the port is not from 1 to 65535",
					"use a port number from 1 to 65535.");
		}
	}

	private static void checkGroups(int highestGroup, int groupCount, boolean regex, String whole, String property) {
		if (highestGroup == 0) {
			return;
		}
		if (!regex) {
			throw new InvalidResilienceSettingException(property, whole,
					"{" + highestGroup + "} refers to a regex group, but the rule's from is not a regex",
					"write from as regex:<expression> with capturing groups, or remove {" + highestGroup + "}.");
		}
		if (highestGroup > groupCount) {
			throw new InvalidResilienceSettingException(property, whole,
					"{" + highestGroup + "} refers to group " + highestGroup + ", but the rule's regex has only "
							+ groupCount + " capturing group(s)",
					(groupCount == 0) ? "add capturing groups (...) to the regex in from."
							: "add capturing groups (...) to the regex in from, or use a group from {1} to {"
									+ groupCount + "}.");
		}
	}

}
