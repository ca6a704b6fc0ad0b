package io.github.redisresilience.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authoritative DNS server for a cluster's names, as the cluster DNS of Kubernetes
 * (CoreDNS) answers for Services and pods: A records with a real TTL, replaced as pods move,
 * {@code NXDOMAIN} for every other name. It never forwards a query and listens on a loopback
 * address only, over UDP and TCP on the same port (TCP for answers too large for a datagram).
 * <p>
 * Built on Netty's DNS codec. Each answer is read from one immutable map replaced as a whole, so
 * a query sees the names either before or after a move, never half of each.
 */
final class KitDnsServer implements AutoCloseable {

	/** The smallest UDP payload every DNS client accepts (RFC 1035), unless it says more in EDNS. */
	private static final int CLASSIC_UDP_PAYLOAD = 512;

	private static final int HEADER_LENGTH = 12;

	/** Type, class, TTL, data length and an IPv4 address, after the owner name. */
	private static final int A_RECORD_FIXED_LENGTH = 2 + 2 + 4 + 2 + 4;

	private static final int MAX_BIND_ATTEMPTS = 10;

	private static final Logger logger = LoggerFactory.getLogger(KitDnsServer.class);

	private final long ttlSeconds;

	private final EventLoopGroup group;

	private final List<Channel> channels = new ArrayList<>();

	private final AtomicLong queries = new AtomicLong();

	private volatile Map<String, List<byte[]>> records = Map.of();

	private InetSocketAddress address;

	private KitDnsServer(String name, Duration ttl) {
		this.ttlSeconds = ttl.toSeconds();
		this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("kit-dns-" + name, true),
				NioIoHandler.newFactory());
	}

	/**
	 * Starts a server on a free port of the loopback address {@code 127.0.0.1}.
	 * @param name the cluster's name, for the thread name
	 * @param ttl the TTL of every record, whole seconds
	 * @return the running server, answering {@code NXDOMAIN} until names are published
	 */
	static KitDnsServer start(String name, Duration ttl) {
		KitDnsServer server = new KitDnsServer(name, ttl);
		try {
			server.bind(InetAddress.getLoopbackAddress());
			return server;
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
	}

	private void bind(InetAddress loopback) {
		QueryHandler handler = new QueryHandler();
		Throwable lastFailure = null;
		// The OS picks a free UDP port; TCP must then get the same one, which another process may
		// hold: try again with another UDP port, a bounded number of times.
		for (int attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
			Channel udp = new Bootstrap().group(this.group)
				.channel(NioDatagramChannel.class)
				.handler(new ChannelInitializer<>() {
					@Override
					protected void initChannel(Channel channel) {
						channel.pipeline()
							.addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), handler);
					}
				})
				.bind(loopback, 0)
				.syncUninterruptibly()
				.channel();
			InetSocketAddress bound = (InetSocketAddress) udp.localAddress();
			ChannelFuture tcp = new ServerBootstrap().group(this.group)
				.channel(NioServerSocketChannel.class)
				// Connections of a server closed a moment ago may linger on this port in TIME_WAIT.
				.option(ChannelOption.SO_REUSEADDR, true)
				.childHandler(new ChannelInitializer<>() {
					@Override
					protected void initChannel(Channel channel) {
						channel.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), handler);
					}
				})
				.bind(bound)
				.awaitUninterruptibly();
			if (tcp.isSuccess()) {
				this.channels.add(udp);
				this.channels.add(tcp.channel());
				this.address = bound;
				return;
			}
			udp.close().awaitUninterruptibly();
			lastFailure = tcp.cause();
		}
		throw new IllegalStateException("Could not bind a DNS server to one free UDP and TCP port of " + loopback,
				lastFailure);
	}

	/**
	 * Where the server listens, over UDP and TCP.
	 * @return the loopback address and port
	 */
	InetSocketAddress address() {
		return this.address;
	}

	/**
	 * How many queries the server has answered.
	 * @return the count since start
	 */
	long queries() {
		return this.queries.get();
	}

	/**
	 * Replaces every name the server answers for.
	 * @param names each name with its IPv4 addresses, in the order answers list them
	 */
	void publish(Map<String, List<String>> names) {
		Map<String, List<byte[]>> next = new LinkedHashMap<>();
		names.forEach((name, addresses) -> next.put(normalize(name),
				addresses.stream().map(KitDnsServer::ipv4).toList()));
		this.records = Map.copyOf(next);
	}

	private static byte[] ipv4(String address) {
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
		if (bytes == null || bytes.length != 4) {
			throw new IllegalArgumentException("Not an IPv4 address: " + address);
		}
		return bytes;
	}

	/** DNS names compare without case, and a query's name is fully qualified (a trailing dot). */
	private static String normalize(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
	}

	/** Netty writes names uncompressed: a length byte per label, the labels, a final zero. */
	private static int encodedLength(String name) {
		String relative = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
		return relative.isEmpty() ? 1 : relative.length() + 2;
	}

	@Override
	public void close() {
		this.channels.forEach((channel) -> channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
	}

	@Override
	public String toString() {
		return "kit DNS server " + this.address + " (TTL " + this.ttlSeconds + "s)";
	}

	@Sharable
	private final class QueryHandler extends SimpleChannelInboundHandler<DnsQuery> {

		@Override
		protected void channelRead0(ChannelHandlerContext context, DnsQuery query) {
			KitDnsServer.this.queries.incrementAndGet();
			DnsResponse response = (query instanceof DatagramDnsQuery datagram)
					? new DatagramDnsResponse(datagram.recipient(), datagram.sender(), query.id())
					: new DefaultDnsResponse(query.id());
			response.setOpCode(query.opCode());
			response.setRecursionDesired(query.isRecursionDesired());
			response.setAuthoritativeAnswer(true);
			if (query.opCode() != DnsOpCode.QUERY || query.count(DnsSection.QUESTION) != 1) {
				response.setCode(DnsResponseCode.NOTIMP);
				context.writeAndFlush(response);
				return;
			}
			DnsQuestion question = query.recordAt(DnsSection.QUESTION);
			response.addRecord(DnsSection.QUESTION, question);
			answer(question, response, (query instanceof DatagramDnsQuery) ? udpPayloadLimit(query) : Integer.MAX_VALUE);
			logger.debug("{} {} -> {} with {} answers", question.type(), question.name(), response.code(),
					response.count(DnsSection.ANSWER));
			context.writeAndFlush(response);
		}

		private void answer(DnsQuestion question, DnsResponse response, int sizeLimit) {
			List<byte[]> addresses = KitDnsServer.this.records.get(normalize(question.name()));
			if (addresses == null) {
				response.setCode(DnsResponseCode.NXDOMAIN);
				return;
			}
			// A known name without records of the asked type (AAAA, say) is NODATA, not NXDOMAIN:
			// a resolver that asks for both must not conclude the name does not exist.
			if (question.type() != DnsRecordType.A || question.dnsClass() != DnsRecord.CLASS_IN) {
				return;
			}
			int nameLength = encodedLength(question.name());
			int size = HEADER_LENGTH + nameLength + 4 + addresses.size() * (nameLength + A_RECORD_FIXED_LENGTH);
			if (size > sizeLimit) {
				// Too large for this datagram: the client asks again over TCP.
				response.setTruncated(true);
				return;
			}
			for (byte[] address : addresses) {
				response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A,
						KitDnsServer.this.ttlSeconds, Unpooled.wrappedBuffer(address)));
			}
		}

		/** The payload size an EDNS client announces in its OPT record, at least the classic 512. */
		private int udpPayloadLimit(DnsQuery query) {
			for (int i = 0; i < query.count(DnsSection.ADDITIONAL); i++) {
				DnsRecord record = query.recordAt(DnsSection.ADDITIONAL, i);
				if (record.type() == DnsRecordType.OPT) {
					return Math.max(CLASSIC_UDP_PAYLOAD, record.dnsClass());
				}
			}
			return CLASSIC_UDP_PAYLOAD;
		}

	}

}
