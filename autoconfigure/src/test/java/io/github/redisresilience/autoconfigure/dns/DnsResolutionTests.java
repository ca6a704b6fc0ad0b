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


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DnsResolution}.
 */
class DnsResolutionTests {

	@Test
	void nettyResolverIsTheDefault() {
		try (DnsResolution resolution = DnsResolution.from(settings(DnsResolverType.NETTY, List.of()))) {
			assertThat(resolution.type()).isEqualTo(DnsResolverType.NETTY);
		}
	}

	@Test
	void nettyResolverDescribesItsTtls() {
		DnsSettings dns = new DnsSettings(DnsResolverType.NETTY, Duration.ofSeconds(30), Duration.ZERO, List.of());
		try (DnsResolution resolution = DnsResolution.from(dns)) {
			assertThat(resolution).hasToString("netty (max-ttl 30s, negative-ttl 0s, the system's servers)");
		}
	}

	@Test
	void nettyResolverDescribesTheNameServersItAsks() {
		DnsSettings dns = settings(DnsResolverType.NETTY, List.of("127.0.0.1:5353", "::1"));
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
			DnsSettings dns = settings(DnsResolverType.NETTY, List.of("127.0.0.1:" + server.getLocalPort()));
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
		DnsSettings dns = settings(DnsResolverType.JDK, List.of());
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
		DnsSettings dns = settings(DnsResolverType.JDK, List.of());
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

	/** The settings with the properties' default TTLs (5 s, failures 1 s). */
	private static DnsSettings settings(DnsResolverType resolver, List<String> servers) {
		return new DnsSettings(resolver, Duration.ofSeconds(5), Duration.ofSeconds(1), servers);
	}

}
