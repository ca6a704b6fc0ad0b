package io.github.redisresilience.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link KitDnsServer}, asked by Netty's own DNS resolver over the network.
 */
class KitDnsServerTest {

	private static final Duration TTL = Duration.ofSeconds(2);

	private EventLoopGroup group;

	private KitDnsServer server;

	@BeforeEach
	void start() {
		this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		this.server = KitDnsServer.start("test", TTL);
		this.server.publish(Map.of("kit-svc", List.of("127.0.5.1", "127.0.5.2"), "kit-0.kit-headless",
				List.of("127.0.5.1")));
	}

	@AfterEach
	void stop() {
		this.server.close();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void listensOnLoopbackOnly() {
		assertThat(this.server.address().getAddress().isLoopbackAddress()).isTrue();
		assertThat(this.server.address().getPort()).isPositive();
	}

	@Test
	void answersEveryAddressOfANameInOrderWithTheConfiguredTtl() throws Exception {
		try (DnsNameResolver resolver = resolver(UnaryOperator.identity())) {
			List<DnsRecord> answers = resolver.resolveAll(new DefaultDnsQuestion("kit-svc", DnsRecordType.A)).get();
			assertThat(answers).extracting(DnsRecord::timeToLive).containsOnly(TTL.toSeconds());
			assertThat(resolver.resolveAll("kit-svc").get()).extracting(InetAddress::getHostAddress)
				.containsExactly("127.0.5.1", "127.0.5.2");
			assertThat(resolver.resolve("kit-0.kit-headless").get().getHostAddress()).isEqualTo("127.0.5.1");
		}
	}

	@Test
	void namesMatchWithoutRegardToCase() throws Exception {
		try (DnsNameResolver resolver = resolver(UnaryOperator.identity())) {
			assertThat(resolver.resolve("KIT-0.Kit-Headless").get().getHostAddress()).isEqualTo("127.0.5.1");
		}
	}

	@Test
	void unknownNameIsNxdomain() throws Exception {
		try (DnsNameResolver resolver = resolver(UnaryOperator.identity())) {
			AddressedEnvelope<DnsResponse, InetSocketAddress> reply = resolver
				.query(new DefaultDnsQuestion("kit-9.kit-headless", DnsRecordType.A))
				.get();
			try {
				assertThat(reply.content().code()).isEqualTo(DnsResponseCode.NXDOMAIN);
				assertThat(reply.content().isAuthoritativeAnswer()).isTrue();
			}
			finally {
				reply.release();
			}
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> resolver.resolve("example.com").get())
				.withCauseInstanceOf(UnknownHostException.class);
		}
	}

	@Test
	void knownNameHasNoIpv6RecordsButExists() throws Exception {
		try (DnsNameResolver resolver = resolver(UnaryOperator.identity())) {
			AddressedEnvelope<DnsResponse, InetSocketAddress> reply = resolver
				.query(new DefaultDnsQuestion("kit-svc", DnsRecordType.AAAA))
				.get();
			try {
				assertThat(reply.content().code()).isEqualTo(DnsResponseCode.NOERROR);
				assertThat(reply.content().count(DnsSection.ANSWER)).isZero();
			}
			finally {
				reply.release();
			}
		}
	}

	@Test
	void answersChangeAsSoonAsNamesArePublished() throws Exception {
		try (DnsNameResolver resolver = resolver((builder) -> builder.resolveCache(NoopDnsCache.INSTANCE))) {
			assertThat(resolver.resolve("kit-0.kit-headless").get().getHostAddress()).isEqualTo("127.0.5.1");
			this.server.publish(Map.of("kit-0.kit-headless", List.of("127.0.6.1")));
			assertThat(resolver.resolve("kit-0.kit-headless").get().getHostAddress()).isEqualTo("127.0.6.1");
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> resolver.resolve("kit-svc").get())
				.withCauseInstanceOf(UnknownHostException.class);
		}
	}

	@Test
	void aCachingResolverKeepsTheOldAddressForTheTtlAndThenFollows() throws Exception {
		try (DnsNameResolver resolver = resolver(UnaryOperator.identity())) {
			assertThat(resolver.resolve("kit-0.kit-headless").get().getHostAddress()).isEqualTo("127.0.5.1");
			long cached = System.nanoTime();
			this.server.publish(Map.of("kit-0.kit-headless", List.of("127.0.6.1")));
			assertThat(resolver.resolve("kit-0.kit-headless").get().getHostAddress()).as("cached answer")
				.isEqualTo("127.0.5.1");
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> resolver.resolve("kit-0.kit-headless").get().getHostAddress().equals("127.0.6.1"));
			assertThat(Duration.ofNanos(System.nanoTime() - cached)).as("time the old answer was kept")
				.isGreaterThanOrEqualTo(TTL.minusMillis(100));
		}
	}

	@Test
	void answerTooLargeForADatagramIsTruncatedAndServedOverTcp() throws Exception {
		List<String> many = IntStream.rangeClosed(1, 60).mapToObj((i) -> "127.0.7." + i).toList();
		this.server.publish(Map.of("kit-svc", many));
		// Without EDNS a datagram answer holds 512 bytes, about 20 of these records.
		try (DnsNameResolver resolver = resolver((builder) -> builder.optResourceEnabled(false)
			.socketChannelType(NioSocketChannel.class))) {
			assertThat(resolver.resolveAll("kit-svc").get()).extracting(InetAddress::getHostAddress)
				.containsExactlyElementsOf(many);
		}
		try (DnsNameResolver udpOnly = resolver((builder) -> builder.optResourceEnabled(false))) {
			AddressedEnvelope<DnsResponse, InetSocketAddress> reply = udpOnly
				.query(new DefaultDnsQuestion("kit-svc", DnsRecordType.A))
				.get();
			try {
				assertThat(reply.content().isTruncated()).isTrue();
			}
			finally {
				reply.release();
			}
		}
	}

	@Test
	void answersOverUdpUpToThePayloadSizeTheClientAnnounces() throws Exception {
		List<String> many = IntStream.rangeClosed(1, 60).mapToObj((i) -> "127.0.7." + i).toList();
		this.server.publish(Map.of("kit-svc", many));
		// Netty announces 4096 bytes in an EDNS OPT record by default: no TCP needed.
		try (DnsNameResolver resolver = resolver(UnaryOperator.identity())) {
			assertThat(resolver.resolveAll("kit-svc").get()).hasSize(60);
		}
	}

	@Test
	void stopsAnsweringWhenClosed() throws Exception {
		this.server.close();
		try (DnsNameResolver resolver = resolver((builder) -> builder.queryTimeoutMillis(300))) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> resolver.resolve("kit-svc").get());
		}
	}

	private DnsNameResolver resolver(UnaryOperator<DnsNameResolverBuilder> customizer) {
		DnsNameResolverBuilder builder = new DnsNameResolverBuilder(this.group.next())
			.datagramChannelType(NioDatagramChannel.class)
			.nameServerProvider(new SingletonDnsServerAddressStreamProvider(this.server.address()))
			.resolvedAddressTypes(ResolvedAddressTypes.IPV4_ONLY)
			.searchDomains(List.of())
			.queryTimeoutMillis(2000);
		return customizer.apply(builder).build();
	}

}
