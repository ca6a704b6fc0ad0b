package io.github.redisresilience.autoconfigure.retry;

import java.util.Set;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Decorates one blocking {@link RedisConnection} (and the command groups it hands out, such
 * as {@code stringCommands()}) so that each command call is retried by the
 * {@link CommandRetrier}.
 * <p>
 * Once the connection starts a transaction, a WATCH, a pipeline or a subscription, nothing on
 * it is retried again: a retry could run a command outside the transaction it belongs to, or
 * read a pipeline's results out of order. Spring Data hands out a connection per template
 * operation, so this only affects the callback that asked for that state.
 */
final class BlockingConnectionRetry implements MethodInterceptor {

	/** Methods that give the connection a state a retry must not cross. */
	private static final Set<String> STATEFUL = Set.of("multi", "watch", "openPipeline", "subscribe", "pSubscribe",
			"sSubscribe");

	private final CommandRetrier retrier;

	private final RedisConnection connection;

	private volatile boolean stateful;

	private BlockingConnectionRetry(CommandRetrier retrier, RedisConnection connection) {
		this.retrier = retrier;
		this.connection = connection;
	}

	/**
	 * Decorate a connection.
	 * @param <C> the connection type, an interface
	 * @param connection the connection from Spring Data's factory
	 * @param retrier the retrier
	 * @return a proxy implementing every interface of the connection
	 */
	@SuppressWarnings("unchecked")
	static <C extends RedisConnection> C decorate(C connection, CommandRetrier retrier) {
		return (C) proxy(connection, new BlockingConnectionRetry(retrier, connection));
	}

	private static Object proxy(Object target, BlockingConnectionRetry interceptor) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.addAdvice(interceptor);
		return factory.getProxy(target.getClass().getClassLoader());
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (CommandTable.isCommandGroup(invocation.getMethod())) {
			Object group = invocation.proceed();
			return (group != null) ? proxy(group, this) : null;
		}
		if (STATEFUL.contains(invocation.getMethod().getName())) {
			this.stateful = true;
		}
		CommandCall command = CommandTable.resolve(invocation.getMethod(), invocation.getArguments());
		if (command == null || !retriesAllowed()) {
			return invocation.proceed();
		}
		ProxyMethodInvocation proxyInvocation = (ProxyMethodInvocation) invocation;
		return this.retrier.execute(command, () -> proxyInvocation.invocableClone().proceed());
	}

	private boolean retriesAllowed() {
		return !this.stateful && !this.connection.isQueueing() && !this.connection.isPipelined()
				&& !this.connection.isSubscribed();
	}

}
