package io.github.redisresilience.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The cluster's DNS server tells what the hosts file tells, at the same moments, with the
 * builder's TTL.
 */
class ClusterDnsServerIT {

	@Test
	void servesEveryNameOfTheClusterAndFollowsAMovedPod(@TempDir Path work) throws Exception {
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		try (LocalRedisCluster cluster = LocalRedisCluster.builder()
			.replicasPerMaster(0)
			.dnsTtl(Duration.ofSeconds(3))
			.workDirectory(work)
			.start(); DnsNameResolver resolver = uncachedResolver(group, cluster.dnsServer())) {
			assertThat(cluster.dnsServer()).as("one server per cluster").isEqualTo(cluster.dnsServer());
			assertThat(addresses(resolver, cluster.serviceName())).containsExactlyElementsOf(podIps(cluster));
			RedisPod pod = cluster.pod(1);
			String oldIpName = cluster.podIpName(pod);
			List<DnsRecord> answer = resolver.resolveAll(new DefaultDnsQuestion(pod.hostname(), DnsRecordType.A)).get();
			assertThat(answer).singleElement().extracting(DnsRecord::timeToLive).isEqualTo(3L);
			assertThat(addresses(resolver, oldIpName)).containsExactly(pod.address().getHostString());

			cluster.movePod(pod, OldAddresses.REFUSE);

			String newIp = pod.address().getHostString();
			assertThat(addresses(resolver, pod.hostname())).containsExactly(newIp);
			assertThat(addresses(resolver, cluster.podIpName(pod))).containsExactly(newIp);
			assertThat(addresses(resolver, cluster.serviceName())).containsExactlyElementsOf(podIps(cluster));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> resolver.resolve(oldIpName).get())
				.withCauseInstanceOf(UnknownHostException.class);
			if (LocalRedisCluster.isDnsEnabled()) {
				assertThat(InetAddress.getByName(pod.hostname()).getHostAddress()).as("hosts file").isEqualTo(newIp);
			}
			ClusterIpService clusterIp = cluster.startClusterIpService();
			assertThat(addresses(resolver, cluster.clusterIpServiceName()))
				.containsExactly(clusterIp.address().getHostString());

			cluster.close();

			assertThatIllegalStateException().isThrownBy(cluster::dnsServer);
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		}
	}

	@Test
	void ttlIsWholeSeconds() {
		assertThatIllegalArgumentException().isThrownBy(() -> LocalRedisCluster.builder().dnsTtl(Duration.ofMillis(1500)));
		assertThatIllegalArgumentException().isThrownBy(() -> LocalRedisCluster.builder().dnsTtl(Duration.ofSeconds(-1)));
	}

	private static List<String> podIps(LocalRedisCluster cluster) {
		return cluster.pods().stream().map((pod) -> pod.address().getHostString()).toList();
	}

	private static List<String> addresses(DnsNameResolver resolver, String name) throws Exception {
		return resolver.resolveAll(name).get().stream().map(InetAddress::getHostAddress).toList();
	}

	private static DnsNameResolver uncachedResolver(EventLoopGroup group, InetSocketAddress server) {
		return new DnsNameResolverBuilder(group.next()).datagramChannelType(NioDatagramChannel.class)
			.nameServerProvider(new SingletonDnsServerAddressStreamProvider(server))
			.resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY)
			.resolveCache(NoopDnsCache.INSTANCE)
			.searchDomains(List.of())
			.build();
	}

}
