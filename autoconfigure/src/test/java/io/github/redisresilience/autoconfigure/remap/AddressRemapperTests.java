package io.github.redisresilience.autoconfigure.remap;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.RedisURI;
import io.lettuce.core.internal.HostAndPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;


import static io.github.redisresilience.autoconfigure.remap.RemapFixtures.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link AddressRemapper}: how announced addresses are mapped.
 */
@ExtendWith(OutputCaptureExtension.class)
class AddressRemapperTests {

	@Test
	void exactIpRuleMapsEveryPortOfThatHostAndKeepsThePort() {
		AddressRemapper remapper = AddressRemapper.from(rules("10.0.0.5", "203.0.113.5"));
		assertThat(remapper.map(address("10.0.0.5", 7000))).isEqualTo(address("203.0.113.5", 7000));
		assertThat(remapper.map(address("10.0.0.5", 7001))).isEqualTo(address("203.0.113.5", 7001));
	}

	@Test
	void hostAndPortRuleMapsOnlyThatPort() {
		AddressRemapper remapper = AddressRemapper.from(rules("172.18.0.2:6379", "localhost:7000"));
		assertThat(remapper.map(address("172.18.0.2", 6379))).isEqualTo(address("localhost", 7000));
		assertThat(remapper.map(address("172.18.0.2", 6380))).isEqualTo(address("172.18.0.2", 6380));
	}

	@Test
	void hostNameRuleMatchesRegardlessOfCase() {
		AddressRemapper remapper = AddressRemapper.from(rules("Redis-0.Internal", "redis-0.example"));
		assertThat(remapper.map(address("redis-0.internal", 6379))).isEqualTo(address("redis-0.example", 6379));
	}

	@Test
	void cidrRuleMapsAddressesInsideTheRange() {
		AddressRemapper remapper = AddressRemapper.from(rules("10.0.0.0/24", "{host}:16379"));
		assertThat(remapper.map(address("10.0.0.7", 6379))).isEqualTo(address("10.0.0.7", 16379));
		assertThat(remapper.map(address("10.0.0.255", 6379))).isEqualTo(address("10.0.0.255", 16379));
	}

	@Test
	void cidrRuleLeavesAddressesOutsideTheRangeAlone() {
		AddressRemapper remapper = AddressRemapper.from(rules("10.0.0.0/25", "{host}:16379"));
		assertThat(remapper.map(address("10.0.0.128", 6379))).isEqualTo(address("10.0.0.128", 6379));
		assertThat(remapper.map(address("10.0.1.1", 6379))).isEqualTo(address("10.0.1.1", 6379));
	}

	@Test
	void cidrRuleNeverMatchesHostNames() {
		AddressRemapper remapper = AddressRemapper.from(rules("0.0.0.0/0", "{host}:16379"));
		assertThat(remapper.map(address("redis-0.internal", 6379))).isEqualTo(address("redis-0.internal", 6379));
	}

	@Test
	void ipv6CidrRuleMapsAddressesInsideTheRange() {
		AddressRemapper remapper = AddressRemapper.from(rules("fd00::/64", "[{host}]:16379"));
		assertThat(remapper.map(address("fd00::12", 6379))).isEqualTo(address("fd00::12", 16379));
		assertThat(remapper.map(address("fd00:0:0:1::12", 6379))).isEqualTo(address("fd00:0:0:1::12", 6379));
	}

	@Test
	void ipv6RuleMatchesTheSameAddressWrittenDifferently() {
		AddressRemapper remapper = AddressRemapper.from(rules("[fd00::5]:6379", "[fd00::99]:7000"));
		assertThat(remapper.map(address("fd00:0:0:0:0:0:0:5", 6379))).isEqualTo(address("fd00::99", 7000));
	}

	@Test
	void regexRuleFillsGroupsIntoTheTarget() {
		AddressRemapper remapper = AddressRemapper
			.from(rules("regex:10\\.0\\.1\\.(\\d+):(\\d+)", "node-{1}.example:{2}"));
		assertThat(remapper.map(address("10.0.1.23", 6380))).isEqualTo(address("node-23.example", 6380));
	}

	@Test
	void regexRuleMustMatchTheWholeHostAndPort() {
		AddressRemapper remapper = AddressRemapper.from(rules("regex:10\\.0\\.1\\.(\\d+)", "node-{1}.example"));
		assertThat(remapper.map(address("10.0.1.23", 6379))).isEqualTo(address("10.0.1.23", 6379));
	}

	@Test
	void regexRuleSeesIpv6HostsInBrackets() {
		AddressRemapper remapper = AddressRemapper.from(rules("regex:\\[fd00::(\\w+)\\]:6379", "node-{1}.example"));
		assertThat(remapper.map(address("fd00::1a", 6379))).isEqualTo(address("node-1a.example", 6379));
	}

	@Test
	void regexGroupCanFormThePort() {
		AddressRemapper remapper = AddressRemapper.from(rules("regex:172\\.18\\.0\\.(\\d):6379", "localhost:700{1}"));
		assertThat(remapper.map(address("172.18.0.3", 6379))).isEqualTo(address("localhost", 7003));
	}

	@Test
	void firstMatchingRuleWins() {
		AddressRemapper remapper = AddressRemapper
			.from(rules("10.0.0.5:6379", "special.example:7000", "10.0.0.0/24", "{host}:16379"));
		assertThat(remapper.map(address("10.0.0.5", 6379))).isEqualTo(address("special.example", 7000));
		assertThat(remapper.map(address("10.0.0.6", 6379))).isEqualTo(address("10.0.0.6", 16379));
	}

	@Test
	void unmatchedAddressIsDialledAsAnnounced() {
		AddressRemapper remapper = AddressRemapper.from(rules("10.0.0.5", "203.0.113.5"));
		assertThat(remapper.map(address("10.0.0.6", 6379))).isEqualTo(address("10.0.0.6", 6379));
	}

	@Test
	void proxyEndpointTakesEveryUnmatchedNode() {
		RemapSettings remap = RemapFixtures.withProxyEndpoint(rules(), "redis-proxy.example:6380");
		AddressRemapper remapper = AddressRemapper.from(remap);
		assertThat(remapper.map(address("10.0.0.6", 6379))).isEqualTo(address("redis-proxy.example", 6380));
		assertThat(remapper.map(address("10.0.0.7", 6379))).isEqualTo(address("redis-proxy.example", 6380));
	}

	@Test
	void rulesApplyBeforeTheProxyEndpoint() {
		RemapSettings remap = RemapFixtures.withProxyEndpoint(rules("10.0.0.5", "203.0.113.5"), "redis-proxy.example:6380");
		AddressRemapper remapper = AddressRemapper.from(remap);
		assertThat(remapper.map(address("10.0.0.5", 6379))).isEqualTo(address("203.0.113.5", 6379));
	}

	@Test
	void noRulesAndNoProxyMakesAnInactiveRemapperThatMapsNothing() {
		AddressRemapper remapper = AddressRemapper.from(rules());
		assertThat(remapper.isActive()).isFalse();
		assertThat(remapper.map(address("10.0.0.5", 6379))).isEqualTo(address("10.0.0.5", 6379));
	}

	@Test
	void resolverDialsTheMappedAddressAndLeavesNameResolutionToNetty() {
		AddressRemapper remapper = AddressRemapper.from(rules("10.0.0.5", "redis-0.example"));
		SocketAddress resolved = remapper.toResolver().resolve(RedisURI.create("redis://10.0.0.5:7000"));
		assertThat(resolved).isInstanceOfSatisfying(InetSocketAddress.class, (socketAddress) -> {
			assertThat(socketAddress.isUnresolved()).isTrue();
			assertThat(socketAddress.getHostString()).isEqualTo("redis-0.example");
			assertThat(socketAddress.getPort()).isEqualTo(7000);
		});
	}

	@Test
	void ruleRenderingAnInvalidPortFailsWhenTheAddressIsMapped() {
		AddressRemapper remapper = AddressRemapper.from(rules("regex:(\\w+)\\.example:6379", "localhost:{1}"));
		assertThatIllegalStateException().isThrownBy(() -> remapper.map(address("abc.example", 6379)))
			.withMessageContaining("redis.resilience.remap.rules[0]")
			.withMessageContaining("'abc'");
	}

	@Test
	void appliedMappingIsLoggedAtDebug(CapturedOutput output) {
		AddressRemapper remapper = AddressRemapper.from(rules("10.0.0.5", "203.0.113.5"));
		remapper.map(address("10.0.0.5", 6379));
		assertThat(output).contains("Remapped 10.0.0.5:6379 to 203.0.113.5:6379 by redis.resilience.remap.rules[0]");
	}

	@Test
	void cidrRuleOntoOneAddressFailsAsAFold() {
		assertThatExceptionOfType(RemapFoldException.class)
			.isThrownBy(() -> AddressRemapper.from(rules("10.0.0.0/24", "redis.example:6379")))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("redis.resilience.remap.rules[0].to");
				assertThat(ex.getTarget()).isEqualTo("redis.example:6379");
			});
	}

	@Test
	void cidrRuleOntoOneHostKeepingThePortFailsAsAFold() {
		assertThatExceptionOfType(RemapFoldException.class)
			.isThrownBy(() -> AddressRemapper.from(rules("10.0.0.0/24", "redis.example")))
			.satisfies((ex) -> assertThat(ex.getTarget()).isEqualTo("redis.example:<announced port>"));
	}

	@Test
	void regexRuleOntoOneHostFailsAsAFold() {
		assertThatExceptionOfType(RemapFoldException.class)
			.isThrownBy(() -> AddressRemapper.from(rules("regex:.*", "redis.example:{port}")));
	}

	@Test
	void severalRulesOntoOneAddressFailAsAFold() {
		assertThatExceptionOfType(RemapFoldException.class)
			.isThrownBy(() -> AddressRemapper
				.from(rules("10.0.0.5:6379", "redis.example:6379", "10.0.0.6:6379", "redis.example")))
			.satisfies((ex) -> assertThat(ex.getRules()).hasSize(2));
	}

	@Test
	void hostRuleOntoOnePortFailsAsAFold() {
		assertThatExceptionOfType(RemapFoldException.class)
			.isThrownBy(() -> AddressRemapper.from(rules("172.18.0.2", "localhost:7000")));
	}

	@Test
	void foldingRulesOnlyWarnWhenOnFoldIsWarn(CapturedOutput output) {
		RemapSettings remap = RemapFixtures.withOnFold(rules("10.0.0.0/24", "redis.example:6379"), FoldPolicy.WARN);
		AddressRemapper remapper = AddressRemapper.from(remap);
		assertThat(remapper.isActive()).isTrue();
		assertThat(output).contains("WARN").contains("redis.example:6379").contains("on-fold=warn");
	}

	@Test
	void foldingRulesAreAllowedWithAProxyEndpoint() {
		RemapSettings remap = RemapFixtures.withProxyEndpoint(rules("10.0.0.0/24", "redis-proxy.example:6379"), "redis-proxy.example:6379");
		assertThat(AddressRemapper.from(remap).isActive()).isTrue();
	}

	@Test
	void perNodeRulesOntoDistinctPortsOfOneHostDoNotFold() {
		AddressRemapper remapper = AddressRemapper.from(rules("172.18.0.2:6379", "localhost:7000", "172.18.0.3:6379",
				"localhost:7001", "regex:172\\.19\\.0\\.(\\d+):6379", "localhost:80{1}"));
		assertThat(remapper.isActive()).isTrue();
	}

	@Test
	void findFoldsReportsNodesDialledAtTheSameAddress() {
		RemapSettings remap = rules("regex:10\\.0\\.0\\.(\\d+):\\d+", "node-{1}.example:6379");
		AddressRemapper remapper = AddressRemapper.from(remap);
		Map<HostAndPort, Set<HostAndPort>> folds = remapper
			.findFolds(List.of(address("10.0.0.1", 6379), address("10.0.0.1", 6380), address("10.0.0.2", 6379)));
		assertThat(folds).containsOnlyKeys(address("node-1.example", 6379));
		assertThat(folds.get(address("node-1.example", 6379))).containsExactly(address("10.0.0.1", 6379),
				address("10.0.0.1", 6380));
	}

	@Test
	void findFoldsCountsUnmappedNodesWithTheirAnnouncedAddress() {
		AddressRemapper remapper = AddressRemapper.from(rules("10.0.0.5:6379", "10.0.0.6:6379"));
		Map<HostAndPort, Set<HostAndPort>> folds = remapper
			.findFolds(List.of(address("10.0.0.5", 6379), address("10.0.0.6", 6379)));
		assertThat(folds).containsOnlyKeys(address("10.0.0.6", 6379));
	}

	@Test
	void findFoldsReportsNothingWithAProxyEndpoint() {
		RemapSettings remap = RemapFixtures.withProxyEndpoint(rules(), "redis-proxy.example:6379");
		AddressRemapper remapper = AddressRemapper.from(remap);
		assertThat(remapper.findFolds(List.of(address("10.0.0.5", 6379), address("10.0.0.6", 6379)))).isEmpty();
	}

	@Test
	void findFoldsReportsNothingWhenEveryNodeKeepsItsOwnAddress() {
		AddressRemapper remapper = AddressRemapper.from(rules("10.0.0.0/24", "{host}:16379"));
		assertThat(remapper.findFolds(List.of(address("10.0.0.5", 6379), address("10.0.0.6", 6379)))).isEmpty();
	}

	private static HostAndPort address(String host, int port) {
		return HostAndPort.of(host, port);
	}

}
