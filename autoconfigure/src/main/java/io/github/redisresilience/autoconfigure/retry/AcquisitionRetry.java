package io.github.redisresilience.autoconfigure.retry;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.backoff.BackOffExecution;

/**
 * Retries what an {@link Attempt} cannot see: a command's first attempt that fails before it
 * reaches any channel, because the client's view has no node for its slot (Lettuce's
 * {@code PartitionSelectorException}, such as while a failed master's slots wait for its replica's
 * promotion) or because the node's connection cannot be opened. Nothing was sent, so waiting and
 * asking again is safe for every command.
 * <p>
 * Each cluster connection's writer asks its connection provider for the node of a slot. Lettuce's
 * writer offers a public setter for that provider (on a package-private class, so it is called by
 * reflection); the provider is put behind a JDK proxy of its own interfaces that retries a failed
 * {@code getConnectionAsync(intent, slot)} with the retry's backoff, within its budget, asking the
 * provider again each time (with the topology it has then). Everything else reaches the provider
 * unchanged. The writers are found as their connections connect
 * ({@link RedisConnectionStateListener}), before the connection is handed out.
 * <p>
 * A slot lookup can also hand out a node connection Lettuce has already closed: when a
 * topology refresh closes a node's connection as stale while another thread routes a command
 * by the view just replaced, that thread puts the connection into the provider's per-slot cache
 * after the refresh emptied it, and every command for the slot then fails with "Connection is
 * closed" until the next refresh. The proxy never hands out a closed connection: it empties
 * the cache the way a refresh does (the writer's partitions set again) and asks again.
 */
final class AcquisitionRetry implements RedisConnectionStateListener {

	private static final Log logger = LogFactory.getLog(AcquisitionRetry.class);

	private static final @Nullable Method GET_PROVIDER = ClusterWriters.writerMethod("getClusterConnectionProvider");

	private static final @Nullable Method SET_PROVIDER = ClusterWriters.writerMethod("setClusterConnectionProvider");

	private static final @Nullable Method GET_PARTITIONS = ClusterWriters.writerMethod("getPartitions");

	private static final @Nullable Method SET_PARTITIONS = ClusterWriters.writerMethod("setPartitions");

	private static final Failure CLOSED_CONNECTION = new Failure(FailureKind.NOT_EXECUTED, "closed-connection");

	/** Lettuce's connection provider for a slot, package-private: known by name. */
	static final String SLOT_LOOKUP_TYPE = "io.lettuce.core.cluster.AsyncClusterConnectionProvider";

	/**
	 * The provider's slot lookup, {@code getConnectionAsync(ConnectionIntent, int)}, the one call
	 * of every routed command, as a constant handle of type {@code (Object, Object, int)Object}.
	 * Called directly rather than through {@link Method#invoke}, it lets the JIT compile the whole
	 * call into the proxy's, and the proxy's argument array is then never allocated (measured: 24
	 * bytes less per command; the slot number the proxy boxes stays). {@code null} if this Lettuce
	 * has no such method: then every call goes through reflection.
	 */
	private static final @Nullable MethodHandle SLOT_LOOKUP = slotLookup();

	private final ChannelCommandRetry retry;

	AcquisitionRetry(ChannelCommandRetry retry) {
		this.retry = retry;
	}

	@Override
	public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
		RedisChannelWriter writer = connection.getChannelWriter();
		if (!ClusterWriters.isWriter(writer) || GET_PROVIDER == null || SET_PROVIDER == null) {
			return;
		}
		Object provider = ReflectionUtils.invokeMethod(GET_PROVIDER, writer);
		if (provider == null || (Proxy.isProxyClass(provider.getClass())
				&& Proxy.getInvocationHandler(provider) instanceof RetryingProvider)) {
			return;
		}
		Object proxy = Proxy.newProxyInstance(provider.getClass().getClassLoader(),
				ClassUtils.getAllInterfacesForClass(provider.getClass(), provider.getClass().getClassLoader()),
				new RetryingProvider(provider, writer));
		ReflectionUtils.invokeMethod(SET_PROVIDER, writer, proxy);
		if (logger.isDebugEnabled()) {
			logger.debug("Connection acquisition retried for " + connection);
		}
	}

	/**
	 * The connection provider of one cluster writer, retrying slot lookups that fail.
	 */
	private final class RetryingProvider implements InvocationHandler {

		private final Object provider;

		private final RedisChannelWriter writer;

		/** Whether the constant handle fits this provider; if not, its lookups go through reflection. */
		private final boolean lookUpByHandle;

		RetryingProvider(Object provider, RedisChannelWriter writer) {
			this.provider = provider;
			this.writer = writer;
			this.lookUpByHandle = SLOT_LOOKUP != null && ClassUtils.getAllInterfacesForClassAsSet(provider.getClass())
				.stream()
				.anyMatch((type) -> type.getName().equals(SLOT_LOOKUP_TYPE));
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
			if (!isSlotLookup(method, args)) {
				return call(method, args);
			}
			Object result = lookUp(method, args);
			if (!(result instanceof CompletableFuture<?> future) || isOpenConnection(future)) {
				return result;
			}
			return retried(future, method, args);
		}

		/** A slot lookup, through the constant handle where it fits the provider. */
		private @Nullable Object lookUp(Method method, @Nullable Object[] args) throws Throwable {
			MethodHandle handle = SLOT_LOOKUP;
			if (handle == null || !this.lookUpByHandle) {
				return call(method, args);
			}
			return (Object) handle.invokeExact(this.provider, args[0], ((Integer) args[1]).intValue());
		}

		/** A slot lookup that failed, is still pending or found a closed connection. */
		private Object retried(CompletableFuture<?> future, Method method, @Nullable Object[] args) {
			Acquisition acquisition = new Acquisition(() -> (CompletableFuture<?>) callUnchecked(method, args),
					this::forgetSlotConnections, this.writer.getClientResources());
			if (future.isDone() && !future.isCompletedExceptionally()) {
				// A closed connection cached for the slot: a lookup in an emptied cache heals it at once.
				return acquisition.retryClosedAtOnce();
			}
			return acquisition.follow(future);
		}

		/**
		 * Empty the provider's per-slot connection cache, as a topology refresh does: the
		 * writer's partitions set again (the same ones), which also closes connections of nodes
		 * no longer in them.
		 */
		private void forgetSlotConnections() {
			if (GET_PARTITIONS != null && SET_PARTITIONS != null) {
				Object partitions = ReflectionUtils.invokeMethod(GET_PARTITIONS, this.writer);
				if (partitions != null) {
					ReflectionUtils.invokeMethod(SET_PARTITIONS, this.writer, partitions);
				}
			}
		}

		private boolean isSlotLookup(Method method, @Nullable Object @Nullable [] args) {
			return method.getName().equals("getConnectionAsync") && args != null && args.length == 2
					&& args[1] instanceof Integer;
		}

		private @Nullable Object call(Method method, @Nullable Object @Nullable [] args) throws Throwable {
			if (method.getDeclaringClass() == Object.class) {
				return switch (method.getName()) {
					case "equals" -> args != null && args[0] == this.provider;
					case "hashCode" -> this.provider.hashCode();
					default -> method.invoke(this.provider, args);
				};
			}
			try {
				ReflectionUtils.makeAccessible(method);
				return method.invoke(this.provider, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

		private @Nullable Object callUnchecked(Method method, @Nullable Object @Nullable [] args) {
			try {
				return call(method, args);
			}
			catch (Throwable ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}

	}

	private static @Nullable MethodHandle slotLookup() {
		ClassLoader classLoader = AcquisitionRetry.class.getClassLoader();
		if (!ClassUtils.isPresent(SLOT_LOOKUP_TYPE, classLoader)) {
			return null;
		}
		try {
			Class<?> type = ClassUtils.resolveClassName(SLOT_LOOKUP_TYPE, classLoader);
			Method method = type.getMethod("getConnectionAsync", ConnectionIntent.class, int.class);
			ReflectionUtils.makeAccessible(method);
			return MethodHandles.lookup()
				.unreflect(method)
				.asType(MethodType.methodType(Object.class, Object.class, Object.class, int.class));
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Slot lookups go through reflection: " + ex);
			return null;
		}
	}

	/** Whether a lookup is done and found a connection that is not closed. */
	private static boolean isOpenConnection(CompletableFuture<?> lookup) {
		return lookup.isDone() && !lookup.isCompletedExceptionally() && !isClosed(lookup.join());
	}

	private static boolean isClosed(@Nullable Object connection) {
		return connection instanceof RedisChannelHandler<?, ?> handler && handler.isClosed();
	}

	/**
	 * One slot lookup and its retries.
	 */
	private final class Acquisition {

		private final Supplier<CompletableFuture<?>> lookup;

		private final Runnable forgetSlotConnections;

		private final ClientResources resources;

		private final CompletableFuture<Object> result = new CompletableFuture<>();

		private final long started = System.nanoTime();

		private final BackOffExecution backOff = AcquisitionRetry.this.retry.policy().getBackOff().start();

		private int attempts = 1;

		private @Nullable Failure retrying;

		Acquisition(Supplier<CompletableFuture<?>> lookup, Runnable forgetSlotConnections, ClientResources resources) {
			this.lookup = lookup;
			this.forgetSlotConnections = forgetSlotConnections;
			this.resources = resources;
		}

		CompletableFuture<Object> follow(CompletableFuture<?> future) {
			future.whenComplete(this::completed);
			return this.result;
		}

		/**
		 * The first lookup found a closed connection: empty the cache and look up again, without
		 * a delay (the result is complete at once when the node's connection is open).
		 */
		CompletableFuture<Object> retryClosedAtOnce() {
			this.retrying = CLOSED_CONNECTION;
			this.attempts++;
			this.forgetSlotConnections.run();
			return follow(this.lookup.get());
		}

		private void completed(@Nullable Object connection, @Nullable Throwable failure) {
			boolean closed = failure == null && isClosed(connection);
			if (failure == null && !closed) {
				count(true);
				this.result.complete(connection);
				return;
			}
			Throwable cause = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			Failure classified = closed ? CLOSED_CONNECTION : Failure.of(cause);
			long delay = nextDelay(classified);
			count(false);
			this.retrying = (delay >= 0) ? classified : null;
			if (delay < 0 || !schedule(closed, delay)) {
				// Given up: a closed connection goes to the writer, which fails the command as Lettuce does.
				this.retrying = null;
				giveUp(connection, cause);
			}
		}

		private boolean schedule(boolean closed, long delay) {
			this.attempts++;
			return LaterAttempts.schedule(this.resources, () -> {
				if (closed) {
					this.forgetSlotConnections.run();
				}
				follow(this.lookup.get());
			}, delay);
		}

		private void giveUp(@Nullable Object connection, @Nullable Throwable cause) {
			if (cause != null) {
				this.result.completeExceptionally(cause);
			}
			else {
				this.result.complete(connection);
			}
		}

		private long nextDelay(Failure failure) {
			RedisResilienceRetryProperties settings = AcquisitionRetry.this.retry.settings();
			if (failure.kind() != FailureKind.NOT_EXECUTED || this.attempts >= settings.getMaxAttempts()) {
				return -1;
			}
			long delay = this.backOff.nextBackOff();
			long elapsed = Duration.ofNanos(System.nanoTime() - this.started).toMillis();
			return (delay == BackOffExecution.STOP || elapsed + delay >= settings.getBudget().toMillis()) ? -1 : delay;
		}

		private void count(boolean recovered) {
			Failure pending = this.retrying;
			if (pending != null) {
				this.retrying = null;
				AcquisitionRetry.this.retry.metrics().retried(pending.reason(), recovered);
			}
		}

	}

}
