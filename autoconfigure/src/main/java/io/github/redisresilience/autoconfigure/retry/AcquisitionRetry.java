package io.github.redisresilience.autoconfigure.retry;

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
 */
final class AcquisitionRetry implements RedisConnectionStateListener {

	private static final Log logger = LogFactory.getLog(AcquisitionRetry.class);

	private static final String WRITER_CLASS = "io.lettuce.core.cluster.ClusterDistributionChannelWriter";

	private static final @Nullable Class<?> WRITER = ClassUtils.isPresent(WRITER_CLASS, null)
			? ClassUtils.resolveClassName(WRITER_CLASS, null) : null;

	private static final @Nullable Method GET_PROVIDER = accessible("getClusterConnectionProvider");

	private static final @Nullable Method SET_PROVIDER = accessible("setClusterConnectionProvider");

	private final ChannelCommandRetry retry;

	AcquisitionRetry(ChannelCommandRetry retry) {
		this.retry = retry;
	}

	private static @Nullable Method accessible(String name) {
		if (WRITER == null) {
			return null;
		}
		for (Method method : WRITER.getMethods()) {
			if (method.getName().equals(name)) {
				ReflectionUtils.makeAccessible(method);
				return method;
			}
		}
		return null;
	}

	@Override
	public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
		RedisChannelWriter writer = connection.getChannelWriter();
		if (WRITER == null || !WRITER.isInstance(writer) || GET_PROVIDER == null || SET_PROVIDER == null) {
			return;
		}
		Object provider = ReflectionUtils.invokeMethod(GET_PROVIDER, writer);
		if (provider == null || (Proxy.isProxyClass(provider.getClass())
				&& Proxy.getInvocationHandler(provider) instanceof RetryingProvider)) {
			return;
		}
		Object proxy = Proxy.newProxyInstance(provider.getClass().getClassLoader(),
				ClassUtils.getAllInterfacesForClass(provider.getClass(), provider.getClass().getClassLoader()),
				new RetryingProvider(provider, writer.getClientResources()));
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

		private final ClientResources resources;

		RetryingProvider(Object provider, ClientResources resources) {
			this.provider = provider;
			this.resources = resources;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
			Object result = call(method, args);
			if (!isSlotLookup(method, args) || !(result instanceof CompletableFuture<?> future)
					|| (future.isDone() && !future.isCompletedExceptionally())) {
				return result;
			}
			return new Acquisition(() -> (CompletableFuture<?>) callUnchecked(method, args), this.resources)
				.follow(future);
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

	/**
	 * One slot lookup and its retries.
	 */
	private final class Acquisition {

		private final Supplier<CompletableFuture<?>> lookup;

		private final ClientResources resources;

		private final CompletableFuture<Object> result = new CompletableFuture<>();

		private final long started = System.nanoTime();

		private final BackOffExecution backOff = AcquisitionRetry.this.retry.policy().getBackOff().start();

		private int attempts = 1;

		private @Nullable Failure retrying;

		Acquisition(Supplier<CompletableFuture<?>> lookup, ClientResources resources) {
			this.lookup = lookup;
			this.resources = resources;
		}

		CompletableFuture<Object> follow(CompletableFuture<?> future) {
			future.whenComplete(this::completed);
			return this.result;
		}

		private void completed(@Nullable Object connection, @Nullable Throwable failure) {
			if (failure == null) {
				count(true);
				this.result.complete(connection);
				return;
			}
			Throwable cause = (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			Failure classified = Failure.of(cause);
			long delay = nextDelay(classified);
			if (delay < 0) {
				count(false);
				this.result.completeExceptionally(cause);
				return;
			}
			count(false);
			this.retrying = classified;
			this.attempts++;
			if (!LaterAttempts.schedule(this.resources, () -> follow(this.lookup.get()), delay)) {
				this.retrying = null;
				this.result.completeExceptionally(cause);
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
