package io.github.redisresilience.autoconfigure.dns;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Times every name resolution of another resolver group, for the DNS resolution time metric.
 */
final class TimedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final AddressResolverGroup<InetSocketAddress> delegate;

	private final DnsResolution.ResolutionListener listener;

	TimedAddressResolverGroup(AddressResolverGroup<InetSocketAddress> delegate, DnsResolution.ResolutionListener listener) {
		this.delegate = delegate;
		this.listener = listener;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new TimedResolver(this.delegate.getResolver(executor));
	}

	@Override
	public void close() {
		super.close();
		this.delegate.close();
	}

	private final class TimedResolver implements AddressResolver<InetSocketAddress> {

		private final AddressResolver<InetSocketAddress> resolver;

		TimedResolver(AddressResolver<InetSocketAddress> resolver) {
			this.resolver = resolver;
		}

		@Override
		public boolean isSupported(SocketAddress address) {
			return this.resolver.isSupported(address);
		}

		@Override
		public boolean isResolved(SocketAddress address) {
			return this.resolver.isResolved(address);
		}

		// The clock starts before the delegate is called: the JDK resolver looks names up inside it.

		@Override
		public Future<InetSocketAddress> resolve(SocketAddress address) {
			long started = System.nanoTime();
			return timed(this.resolver.resolve(address), address, started);
		}

		@Override
		public Future<InetSocketAddress> resolve(SocketAddress address, Promise<InetSocketAddress> promise) {
			long started = System.nanoTime();
			return timed(this.resolver.resolve(address, promise), address, started);
		}

		@Override
		public Future<List<InetSocketAddress>> resolveAll(SocketAddress address) {
			long started = System.nanoTime();
			return timed(this.resolver.resolveAll(address), address, started);
		}

		@Override
		public Future<List<InetSocketAddress>> resolveAll(SocketAddress address,
				Promise<List<InetSocketAddress>> promise) {
			long started = System.nanoTime();
			return timed(this.resolver.resolveAll(address, promise), address, started);
		}

		private <T> Future<T> timed(Future<T> resolution, SocketAddress address, long started) {
			if (this.resolver.isResolved(address)) {
				// Nothing to look up: an IP address, not a name.
				return resolution;
			}
			resolution.addListener((done) -> TimedAddressResolverGroup.this.listener
				.resolved(Duration.ofNanos(System.nanoTime() - started), done.isSuccess()));
			return resolution;
		}

		@Override
		public void close() {
			this.resolver.close();
		}

	}

}
