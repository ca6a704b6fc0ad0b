package io.github.redisresilience.autoconfigure.remap;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

import static io.github.redisresilience.autoconfigure.remap.RemapFixtures.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for parsing remap rules: malformed input fails naming the exact property.
 */
class RuleParserTests {

	@ParameterizedTest(name = "from ''{0}'' fails: {1}")
	@MethodSource("malformedFrom")
	void malformedFromFailsNamingTheFromProperty(String from, String reason) {
		assertThatExceptionOfType(InvalidResilienceSettingException.class)
			.isThrownBy(() -> AddressRemapper.from(rules(from, "redis.example")))
			.satisfies((ex) -> {
				assertThat(ex.getProperty())
					.isEqualTo("redis.resilience.remap.rules[0].from");
				assertThat(ex.getReason()).contains(reason);
			});
	}

	static Stream<Arguments> malformedFrom() {
		return Stream.of(Arguments.of("", "must not be empty"), Arguments.of("   ", "must not be empty"),
				Arguments.of("10.0.0.0/33", "prefix length '33'"), Arguments.of("10.0.0.0/", "prefix length ''"),
				Arguments.of("10.0.0.0/x", "prefix length 'x'"), Arguments.of("fd00::/129", "from 0 to 128"),
				Arguments.of("10.0.0/24", "not an IPv4 or IPv6 address"),
				Arguments.of("redis.example/24", "not an IPv4 or IPv6 address"),
				Arguments.of("regex:(", "not a valid Java regular expression"),
				Arguments.of("regex:", "regular expression after 'regex:' is empty"),
				Arguments.of("10.0.0.5:0", "not from 1 to 65535"), Arguments.of("10.0.0.5:65536", "not from 1 to 65535"),
				Arguments.of("10.0.0.5:http", "not from 1 to 65535"),
				Arguments.of("10.0.0.300", "not a valid IPv4 address"),
				Arguments.of("redis host", "not a valid host name"), Arguments.of("[fd00::5", "not closed"),
				Arguments.of("[fd00::5]6379", "only ':' and a port"), Arguments.of("fd00::zz", "not a valid IPv6"));
	}

	@ParameterizedTest(name = "to ''{1}'' fails: {2}")
	@MethodSource("malformedTo")
	void malformedToFailsNamingTheToProperty(String from, String to, String reason) {
		assertThatExceptionOfType(InvalidResilienceSettingException.class)
			.isThrownBy(() -> AddressRemapper.from(rules(from, to)))
			.satisfies((ex) -> {
				assertThat(ex.getProperty())
					.isEqualTo("redis.resilience.remap.rules[0].to");
				assertThat(ex.getReason()).contains(reason);
			});
	}

	static Stream<Arguments> malformedTo() {
		String host = "10.0.0.5";
		String oneGroup = "regex:10\\.0\\.0\\.(\\d+):6379";
		return Stream.of(Arguments.of(host, "", "must not be empty"),
				Arguments.of(host, "redis.example:", "port after ':' is empty"),
				Arguments.of(host, "redis.example:http", "is not a number"),
				Arguments.of(host, "redis.example:0", "not from 1 to 65535"),
				Arguments.of(host, "redis.example:65536", "not from 1 to 65535"),
				Arguments.of(host, "redis.example:{host}", "{host} cannot be part of a port"),
				Arguments.of(host, "{hostname}", "'{hostname}' is not a placeholder"),
				Arguments.of(oneGroup, "node-{0}", "'{0}' is not a placeholder"),
				Arguments.of(oneGroup, "node-{10}", "'{10}' is not a placeholder"),
				Arguments.of(host, "node-{host", "not closed"), Arguments.of(host, "node}", "without a matching"),
				Arguments.of(host, "fd00::1:6379", "must be written in brackets"),
				Arguments.of(host, "[fd00::1", "not closed"),
				Arguments.of(host, "redis/example", "characters a host name cannot have"),
				Arguments.of(host, ":6379", "host is empty"),
				Arguments.of(host, "node-{1}.example", "the rule's from is not a regex"),
				Arguments.of(oneGroup, "node-{2}.example", "has only 1 capturing group"),
				Arguments.of("regex:10\\.0\\.0\\.\\d+:6379", "node-{1}.example", "has only 0 capturing group"));
	}

	@Test
	void invalidRuleIsNamedByItsIndex() {
		assertThatExceptionOfType(InvalidResilienceSettingException.class)
			.isThrownBy(() -> AddressRemapper.from(rules("10.0.0.5", "redis.example", "10.0.0.0/40", "{host}:1")))
			.withMessageContaining("redis.resilience.remap.rules[1].from");
	}

	@Test
	void proxyEndpointWithoutPortFailsNamingTheProperty() {
		RemapSettings remap = RemapFixtures.withProxyEndpoint(rules(), "redis-proxy.example");
		assertThatExceptionOfType(InvalidResilienceSettingException.class).isThrownBy(() -> AddressRemapper.from(remap))
			.satisfies((ex) -> assertThat(ex.getProperty())
				.isEqualTo("redis.resilience.remap.proxy-endpoint"));
	}

	@Test
	void proxyEndpointThatIsARangeFails() {
		RemapSettings remap = RemapFixtures.withProxyEndpoint(rules(), "10.0.0.0/24");
		assertThatExceptionOfType(InvalidResilienceSettingException.class).isThrownBy(() -> AddressRemapper.from(remap))
			.withMessageContaining("one host with a port");
	}

}
