package io.github.redisresilience.autoconfigure.dns;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties.Dns;
import io.github.redisresilience.autoconfigure.RedisResilienceProperties.DnsResolverType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DnsResolution}.
 */
class DnsResolutionTests {

	@Test
	void nettyResolverIsTheDefault() {
		try (DnsResolution resolution = DnsResolution.from(new Dns())) {
			assertThat(resolution.type()).isEqualTo(DnsResolverType.NETTY);
		}
	}

	@Test
	void nettyResolverDescribesItsTtls() {
		Dns dns = new Dns();
		dns.setMaxTtl(Duration.ofSeconds(30));
		dns.setNegativeTtl(Duration.ZERO);
		try (DnsResolution resolution = DnsResolution.from(dns)) {
			assertThat(resolution).hasToString("netty (max-ttl 30s, negative-ttl 0s, the system's servers)");
		}
	}

	@Test
	void nettyResolverDescribesTheNameServersItAsks() {
		Dns dns = new Dns();
		dns.setServers(List.of("127.0.0.1:5353", "::1"));
		try (DnsResolution resolution = DnsResolution.from(dns)) {
			assertThat(resolution).hasToString("netty (max-ttl 5s, negative-ttl 1s, servers 127.0.0.1:5353,[::1]:53)");
		}
	}

	@Test
	void nettyResolverAsksTheListedServer() throws Exception {
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
				Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
		try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
			server.setSoTimeout(5000);
			Dns dns = new Dns();
			dns.setServers(List.of("127.0.0.1:" + server.getLocalPort()));
			try (DnsResolution resolution = DnsResolution.from(dns)) {
				resolution.addressResolverGroup()
					.getResolver(group.next())
					.resolve(InetSocketAddress.createUnresolved("probe.redis.invalid", 6379));
				DatagramPacket query = new DatagramPacket(new byte[512], 512);
				server.receive(query);
				// DNS writes each label after its length: 5 "probe", 5 "redis", 7 "invalid".
				assertThat(new String(query.getData(), 0, query.getLength(), StandardCharsets.ISO_8859_1))
					.contains("\005probe\005redis\007invalid");
			}
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		}
	}

	@Test
	void everyLookupIsReportedToTheListeners() throws Exception {
		Dns dns = new Dns();
		dns.setResolver(DnsResolverType.JDK);
		List<Boolean> outcomes = new CopyOnWriteArrayList<>();
		try (DnsResolution resolution = DnsResolution.from(dns)) {
			resolution.addResolutionListener((took, succeeded) -> outcomes.add(succeeded));
			resolution.addressResolverGroup()
				.getResolver(ImmediateEventExecutor.INSTANCE)
				.resolve(InetSocketAddress.createUnresolved("localhost", 6379))
				.await();
			resolution.addressResolverGroup()
				.getResolver(ImmediateEventExecutor.INSTANCE)
				.resolve(InetSocketAddress.createUnresolved("no-such-redis.invalid", 6379))
				.await();
		}
		assertThat(outcomes).containsExactly(true, false);
	}

	@Test
	void jdkResolverResolvesThroughTheJvm() throws Exception {
		Dns dns = new Dns();
		dns.setResolver(DnsResolverType.JDK);
		try (DnsResolution resolution = DnsResolution.from(dns)) {
			InetSocketAddress resolved = (InetSocketAddress) resolution.addressResolverGroup()
				.getResolver(ImmediateEventExecutor.INSTANCE)
				.resolve(InetSocketAddress.createUnresolved("localhost", 6379))
				.get();
			assertThat(resolved.isUnresolved()).isFalse();
			assertThat(resolved.getAddress().isLoopbackAddress()).isTrue();
			assertThat(resolved.getPort()).isEqualTo(6379);
		}
	}

}
