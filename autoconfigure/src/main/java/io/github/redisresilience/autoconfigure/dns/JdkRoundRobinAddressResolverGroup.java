package io.github.redisresilience.autoconfigure.dns;

import java.net.InetSocketAddress;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultNameResolver;
import io.netty.resolver.RoundRobinInetAddressResolver;
import io.netty.util.concurrent.EventExecutor;

/**
 * Resolves names with the JDK ({@code InetAddress}, so hosts files and the JVM's DNS cache
 * settings apply) and connects to a random one of all the addresses a name has.
 */
final class JdkRoundRobinAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new RoundRobinInetAddressResolver(executor, new DefaultNameResolver(executor)).asAddressResolver();
	}

}
