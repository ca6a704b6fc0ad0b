package io.github.redisresilience.autoconfigure.dns;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Transports;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.RoundRobinDnsAddressResolverGroup;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;

import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * The DNS resolver Lettuce uses to turn node and seed host names into addresses, as
 * configured under {@code redis.resilience.dns}; install it with
 * {@link ClientResources.Builder#addressResolverGroup(AddressResolverGroup)}.
 * <p>
 * Lettuce's own default caches answers for as long as the DNS records say, so a Service
 * name that now points at new pods can keep resolving to the old ones. With
 * {@link DnsResolverType#NETTY netty}, answers are cached no longer than {@code max-ttl}
 * and failures for {@code negative-ttl}, and it asks the name servers listed in
 * {@code servers} (in order) or, when none are, those of the operating system
 * ({@code /etc/resolv.conf}). With {@link DnsResolverType#JDK jdk}, lookups go through
 * {@code InetAddress}, so hosts files ({@code jdk.net.hosts.file}) and the JVM's
 * {@code networkaddress.cache.ttl} settings apply; the JDK asks only the operating system's
 * name servers, so {@code servers} cannot apply to it. Close it when the client resources
 * are shut down.
 * <p>
 * Both pick one of a name's addresses at random for each new connection, instead of always
 * the first: Lettuce opens one connection per seed, so with the first address a seed name
 * whose first pod is frozen or gone would never yield the topology, while with a random one
 * each topology refresh tries another pod.
 */
public final class DnsResolution implements AutoCloseable {

	private final DnsResolverType type;

	private final long maxTtlSeconds;

	private final long negativeTtlSeconds;

	private final List<InetSocketAddress> servers;

	private final AddressResolverGroup<? extends SocketAddress> addressResolverGroup;

	private final List<ResolutionListener> listeners = new CopyOnWriteArrayList<>();

	private DnsResolution(DnsResolverType type, DnsSettings settings, List<InetSocketAddress> servers,
			AddressResolverGroup<InetSocketAddress> resolverGroup) {
		this.type = type;
		this.servers = servers;
		this.maxTtlSeconds = settings.maxTtl().toSeconds();
		this.negativeTtlSeconds = settings.negativeTtl().toSeconds();
		this.addressResolverGroup = new TimedAddressResolverGroup(resolverGroup, this::notifyResolved);
	}

	private void notifyResolved(Duration took, boolean succeeded) {
		for (ResolutionListener listener : this.listeners) {
			listener.resolved(took, succeeded);
		}
	}

	/**
	 * Registers a listener told about every name lookup, e.g. to time them.
	 * @param listener the listener, called on Netty's event loop: it must not block
	 */
	public void addResolutionListener(ResolutionListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Create the resolver chosen by the properties.
	 * @param dns the {@code redis.resilience.dns} settings, already validated
	 * @return the resolution
	 * @throws InvalidResilienceSettingException if a name server cannot be used
	 */
	public static DnsResolution from(DnsSettings dns) {
		List<InetSocketAddress> servers = NameServers.parse(dns.servers());
		if (dns.resolver() == DnsResolverType.JDK) {
			if (!servers.isEmpty()) {
				throw new InvalidResilienceSettingException(NameServers.PROPERTY, String.join(",", dns.servers()),
						"the jdk resolver asks only the operating system's name servers (/etc/resolv.conf, port 53)",
						"remove it, or set redis.resilience.dns.resolver=netty to ask these servers.");
			}
			return new DnsResolution(DnsResolverType.JDK, dns, servers, new JdkRoundRobinAddressResolverGroup());
		}
		return new DnsResolution(DnsResolverType.NETTY, dns, servers, nettyResolverGroup(dns, servers));
	}

	private static AddressResolverGroup<InetSocketAddress> nettyResolverGroup(DnsSettings dns, List<InetSocketAddress> servers) {
		// The channel types must match the transport Lettuce picks (epoll, kqueue or NIO),
		// or the resolver cannot register with Lettuce's event loops.
		DnsNameResolverBuilder builder = new DnsNameResolverBuilder()
			.datagramChannelType(Transports.datagramChannelClass())
			.socketChannelType(Transports.socketChannelClass().asSubclass(SocketChannel.class))
			.ttl(0, Math.toIntExact(dns.maxTtl().toSeconds()))
			.negativeTtl(Math.toIntExact(dns.negativeTtl().toSeconds()));
		if (!servers.isEmpty()) {
			// In the listed order, the next one only when a query to the previous got no answer.
			builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers));
		}
		return new RoundRobinDnsAddressResolverGroup(builder);
	}

	/**
	 * Return the resolver group for the client resources.
	 * @return the address resolver group
	 */
	public AddressResolverGroup<? extends SocketAddress> addressResolverGroup() {
		return this.addressResolverGroup;
	}

	/**
	 * Return which resolver was chosen.
	 * @return the resolver type
	 */
	public DnsResolverType type() {
		return this.type;
	}

	/**
	 * Return the name servers the Netty resolver asks.
	 * @return the servers in the order they are asked, empty for the operating system's
	 */
	public List<InetSocketAddress> servers() {
		return this.servers;
	}

	/**
	 * Release the resolvers and their caches.
	 */
	@Override
	public void close() {
		this.addressResolverGroup.close();
	}

	/**
	 * Describe the resolver for the startup summary.
	 * @return for example {@code "netty (max-ttl 5s, negative-ttl 1s, servers 10.96.0.10:53)"}
	 */
	@Override
	public String toString() {
		if (this.type == DnsResolverType.JDK) {
			return "jdk";
		}
		String servers = this.servers.isEmpty() ? "the system's servers"
				: "servers " + this.servers.stream().map(NetUtil::toSocketAddressString).collect(Collectors.joining(","));
		return "netty (max-ttl " + this.maxTtlSeconds + "s, negative-ttl " + this.negativeTtlSeconds + "s, " + servers
				+ ")";
	}

	/**
	 * Told about every name lookup of the client's connections.
	 */
	@FunctionalInterface
	public interface ResolutionListener {

		/**
		 * A lookup ended.
		 * @param took how long it took
		 * @param succeeded whether the name resolved
		 */
		void resolved(Duration took, boolean succeeded);

	}

}
