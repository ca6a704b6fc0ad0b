package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.util.ClassUtils;

/**
 * Decorates one blocking {@link RedisConnection} (and the command groups it hands out, such
 * as {@code stringCommands()}) so that each command call is retried by the
 * {@link CommandRetrier}.
 * <p>
 * Once the connection starts a transaction, a WATCH, a pipeline or a subscription, nothing on
 * it is retried again: a retry could run a command outside the transaction it belongs to, or
 * read a pipeline's results out of order. Spring Data hands out a connection per template
 * operation, so this only affects the callback that asked for that state.
 * <p>
 * Plain JDK proxies rather than Spring AOP ones: a connection and its groups are decorated on
 * every template call, and building an AOP proxy (advisor chains, interface discovery) each
 * time cost more than the command on a fast network.
 */
final class BlockingConnectionRetry {

	/** Methods that give the connection a state a retry must not cross. */
	private static final Set<String> STATEFUL = Set.of("multi", "watch", "openPipeline", "subscribe", "pSubscribe",
			"sSubscribe");

	/** The interfaces a decorated object's proxy implements, found once per class. */
	private static final ClassValue<Class<?>[]> INTERFACES = new ClassValue<>() {
		@Override
		protected Class<?>[] computeValue(Class<?> type) {
			return ClassUtils.getAllInterfacesForClass(type, type.getClassLoader());
		}
	};

	private final CommandRetrier retrier;

	private final ExactlyOnce exactlyOnce;

	private final RedisConnection connection;

	private volatile boolean stateful;

	private BlockingConnectionRetry(CommandRetrier retrier, ExactlyOnce exactlyOnce, RedisConnection connection) {
		this.retrier = retrier;
		this.exactlyOnce = exactlyOnce;
		this.connection = connection;
	}

	/**
	 * Decorate a connection.
	 * @param <C> the connection type, an interface
	 * @param connection the connection from Spring Data's factory
	 * @param retrier the retrier
	 * @param exactlyOnce the commands run exactly once
	 * @return a proxy implementing every interface of the connection
	 */
	@SuppressWarnings("unchecked")
	static <C extends RedisConnection> C decorate(C connection, CommandRetrier retrier, ExactlyOnce exactlyOnce) {
		return (C) new BlockingConnectionRetry(retrier, exactlyOnce, connection).proxy(connection);
	}

	private Object proxy(Object target) {
		Class<?> type = target.getClass();
		return Proxy.newProxyInstance(type.getClassLoader(), INTERFACES.get(type), new Handler(target));
	}

	private boolean retriesAllowed() {
		return !this.stateful && !this.connection.isQueueing() && !this.connection.isPipelined()
				&& !this.connection.isSubscribed();
	}

	/**
	 * Calls on the connection or on one of its command groups.
	 */
	private final class Handler implements InvocationHandler {

		private final Object target;

		Handler(Object target) {
			this.target = target;
		}

		@Override
		public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			if (method.getDeclaringClass() == Object.class) {
				return objectMethod(proxy, method, args);
			}
			if (CommandTable.isCommandGroup(method)) {
				Object group = call(method, args);
				return (group != null) ? proxy(group) : null;
			}
			if (STATEFUL.contains(method.getName())) {
				BlockingConnectionRetry.this.stateful = true;
			}
			CommandCall command = CommandTable.resolve(method, args);
			if (command == null || !retriesAllowed()) {
				return call(method, args);
			}
			ExactlyOnce.Call once = BlockingConnectionRetry.this.exactlyOnce.isEnabled()
					? BlockingConnectionRetry.this.exactlyOnce.prepare(method, args) : null;
			if (once != null) {
				// The token makes a repeat return the first reply: as safe to retry as SET.
				return BlockingConnectionRetry.this.retrier.execute(
						new CommandCall(once.command().name(), CommandKind.IDEMPOTENT_WRITE),
						() -> once.run(BlockingConnectionRetry.this.connection));
			}
			return BlockingConnectionRetry.this.retrier.execute(command, () -> call(method, args));
		}

		private @Nullable Object call(Method method, @Nullable Object @Nullable [] args) throws Throwable {
			try {
				return method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		}

		private @Nullable Object objectMethod(Object proxy, Method method, @Nullable Object @Nullable [] args)
				throws Throwable {
			return switch (method.getName()) {
				case "equals" -> args != null && proxy == args[0];
				case "hashCode" -> System.identityHashCode(proxy);
				default -> call(method, args);
			};
		}

	}

}
