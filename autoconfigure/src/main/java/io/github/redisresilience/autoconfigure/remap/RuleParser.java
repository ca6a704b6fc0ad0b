package io.github.redisresilience.autoconfigure.remap;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;

import io.github.redisresilience.autoconfigure.remap.RemapSettings.Rule;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Parses the configured remap rules and the proxy endpoint, failing with an
 * {@link InvalidResilienceSettingException} that names the exact property.
 */
final class RuleParser {

	static final String RULES = "redis.resilience.remap.rules";

	static final String PROXY_ENDPOINT = "redis.resilience.remap.proxy-endpoint";

	private static final String REGEX_PREFIX = "regex:";

	private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");

	private static final String FROM_FORMS = "write it as a host or IP (10.0.0.5), host:port (10.0.0.5:6379), "
			+ "a CIDR range (10.0.0.0/24 or fd00::/64) or regex:<Java regex> matched against host:port.";

	private RuleParser() {
	}

	static List<RemapRule> parseRules(List<Rule> rules) {
		List<RemapRule> parsed = new ArrayList<>(rules.size());
		for (int i = 0; i < rules.size(); i++) {
			parsed.add(parseRule(i, rules.get(i)));
		}
		return List.copyOf(parsed);
	}

	static RemapRule parseRule(int index, Rule rule) {
		String name = RULES + "[" + index + "]";
		AddressPattern pattern = parseFrom(rule.from(), name + ".from");
		boolean regex = pattern instanceof AddressPattern.Regex;
		TargetTemplate target = TemplateParser.parse(rule.to(), name + ".to", pattern.groupCount(), regex);
		return new RemapRule(name, rule.from().strip(), rule.to().strip(), pattern, target);
	}

	static AddressPattern parseFrom(@Nullable String from, String property) {
		if (from == null || from.isBlank()) {
			throw new InvalidResilienceSettingException(property, String.valueOf(from), "it must not be empty", FROM_FORMS);
		}
		String text = from.strip();
		if (text.startsWith(REGEX_PREFIX)) {
			return parseRegex(text, property);
		}
		if (text.indexOf('/') >= 0) {
			return parseCidr(text, property);
		}
		if (text.startsWith("[")) {
			return parseBracketed(text, property);
		}
		int colons = (int) text.chars().filter((c) -> c == ':').count();
		if (colons > 1) {
			return new AddressPattern.Host(text, ip(text, text, property));
		}
		if (colons == 1) {
			int colon = text.indexOf(':');
			String host = text.substring(0, colon);
			return new AddressPattern.Address(host, hostIp(host, text, property),
					port(text.substring(colon + 1), text, property));
		}
		return new AddressPattern.Host(text, hostIp(text, text, property));
	}

	/**
	 * Parse the proxy endpoint, which needs both host and port.
	 * @param endpoint the configured endpoint
	 * @return the endpoint
	 */
	static HostAndPort parseProxyEndpoint(String endpoint) {
		String fix = "write it as host:port or [IPv6]:port, for example 'redis-proxy.example:6379'.";
		String text = endpoint.strip();
		AddressPattern pattern;
		try {
			pattern = parseFrom(text, PROXY_ENDPOINT);
		}
		catch (InvalidResilienceSettingException ex) {
			throw new InvalidResilienceSettingException(PROXY_ENDPOINT, text, ex.getReason(), fix);
		}
		if (!(pattern instanceof AddressPattern.Address address)) {
			throw new InvalidResilienceSettingException(PROXY_ENDPOINT, text, "it must be one host with a port", fix);
		}
		return HostAndPort.of(IpLiteral.unbracket(address.host()), address.port());
	}

	private static AddressPattern parseRegex(String text, String property) {
		String expression = text.substring(REGEX_PREFIX.length());
		if (expression.isEmpty()) {
			throw new InvalidResilienceSettingException(property, text, "the regular expression after 'regex:' is empty",
					"add a Java regular expression matching the whole announced host:port, such as "
							+ "regex:10\\.0\\.1\\.(\\d+):6379.");
		}
		try {
			return new AddressPattern.Regex(Pattern.compile(expression));
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidResilienceSettingException(property, text,
					"it is not a valid Java regular expression (" + ex.getDescription() + " near index "
							+ ex.getIndex() + ")",
					"correct the expression after 'regex:'; it must match the whole announced host:port, such as "
							+ "regex:10\\.0\\.1\\.(\\d+):6379.");
		}
	}

	private static AddressPattern parseCidr(String text, String property) {
		String fix = "write a CIDR range as address/prefix-length, such as 10.0.0.0/24 or fd00::/64.";
		int slash = text.lastIndexOf('/');
		byte[] network = IpLiteral.parse(text.substring(0, slash));
		if (network == null) {
			throw new InvalidResilienceSettingException(property, text,
					"'" + text.substring(0, slash) + "' is not an IPv4 or IPv6 address", fix);
		}
		String prefixText = text.substring(slash + 1);
		int bits = network.length * 8;
		int prefix = prefixText.matches("\\d{1,3}") ? Integer.parseInt(prefixText) : -1;
		if (prefix < 0 || prefix > bits) {
			throw new InvalidResilienceSettingException(property, text,
					"the prefix length '" + prefixText + "' is not a number from 0 to " + bits, fix);
		}
		return new AddressPattern.Cidr(mask(network, prefix), prefix);
	}

	private static byte[] mask(byte[] address, int prefix) {
		byte[] network = address.clone();
		for (int bit = prefix; bit < network.length * 8; bit++) {
			network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
		}
		return network;
	}

	private static AddressPattern parseBracketed(String text, String property) {
		int close = text.indexOf(']');
		String fix = "write an IPv6 address as [address] or [address]:port, such as [fd00::5]:6379.";
		if (close < 0) {
			throw new InvalidResilienceSettingException(property, text, "the bracket is not closed", fix);
		}
		String host = text.substring(1, close);
		byte[] ip = ip(host, text, property);
		String rest = text.substring(close + 1);
		if (rest.isEmpty()) {
			return new AddressPattern.Host(host, ip);
		}
		if (!rest.startsWith(":")) {
			throw new InvalidResilienceSettingException(property, text, "only ':' and a port may follow the bracket", fix);
		}
		return new AddressPattern.Address(host, ip, port(rest.substring(1), text, property));
	}

	private static byte[] ip(String host, String text, String property) {
		byte[] ip = IpLiteral.parse(host);
		if (ip == null) {
			throw new InvalidResilienceSettingException(property, text, "'" + host + "' is not a valid IPv6 address",
					"write a valid IPv6 address, in brackets when followed by a port, such as [fd00::5]:6379.");
		}
		return ip;
	}

	private static byte @Nullable [] hostIp(String host, String text, String property) {
		byte[] ip = IpLiteral.parse(host);
		if (ip != null) {
			return ip;
		}
		if (IpLiteral.looksLikeIpv4(host)) {
			throw new InvalidResilienceSettingException(property, text, "'" + host + "' is not a valid IPv4 address",
					"write four numbers from 0 to 255 separated by dots, such as 10.0.0.5.");
		}
		if (!HOST_NAME.matcher(host).matches()) {
			throw new InvalidResilienceSettingException(property, text, "'" + host + "' is not a valid host name", FROM_FORMS);
		}
		return null;
	}

	private static int port(String text, String whole, String property) {
		int port = TemplateParser.parsePort(text);
		if (port < 0) {
			throw new InvalidResilienceSettingException(property, whole, "the port '" + text + "' is not from 1 to 65535",
					"use a port number from 1 to 65535, or leave out ':port' to match any port.");
		}
		return port;
	}

}
