package io.github.redisresilience.autoconfigure.retry;

import java.util.Arrays;
import java.util.Set;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Replaces each {@link LettuceConnectionFactory} bean with a proxy of the same class whose
 * connections retry their commands. Everything else the factory does (its lifecycle, its
 * phase, {@code getNativeClient()}) reaches the original, so the bean keeps its name and type
 * and whatever looks it up by type sees no difference.
 * <p>
 * Decorating the connections the factory hands out, rather than registering a second
 * {@code RedisConnectionFactory}, keeps a single factory bean: a second one would need to be
 * primary, would show up twice in health contributors and would conflict with a user's own
 * primary factory.
 */
final class RetryingConnectionFactoryPostProcessor implements BeanPostProcessor {

	private static final Set<String> BLOCKING = Set.of("getConnection", "getClusterConnection");

	/**
	 * Obtaining a blocking connection connects the shared native connection on first use (or
	 * after a reset): a failure there ran no command, so it is retried like one that certainly
	 * did not run. Reactive connections are obtained the same way, but on a reactive thread
	 * where a backoff would block, so their acquisition is not retried.
	 */
	private static final CommandCall CONNECT = new CommandCall("CONNECT", CommandKind.WRITE);

	private static final Set<String> REACTIVE = Set.of("getReactiveConnection", "getReactiveClusterConnection");

	private final ObjectProvider<CommandRetrier> retrier;

	private final ObjectProvider<ExactlyOnce> exactlyOnce;

	RetryingConnectionFactoryPostProcessor(ObjectProvider<CommandRetrier> retrier,
			ObjectProvider<ExactlyOnce> exactlyOnce) {
		this.retrier = retrier;
		this.exactlyOnce = exactlyOnce;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof LettuceConnectionFactory) || isDecorated(bean)) {
			return bean;
		}
		ProxyFactory factory = new ProxyFactory(bean);
		factory.setProxyTargetClass(true);
		factory.addAdvice(new ConnectionDecorator(this.retrier.getObject(), this.exactlyOnce.getObject()));
		return factory.getProxy(bean.getClass().getClassLoader());
	}

	/**
	 * Whether a factory's connections are already decorated.
	 * @param factory a connection factory bean
	 * @return {@code true} if it is a proxy made here
	 */
	static boolean isDecorated(Object factory) {
		return factory instanceof Advised advised && Arrays.stream(advised.getAdvisors())
			.anyMatch((advisor) -> advisor.getAdvice() instanceof ConnectionDecorator);
	}

	/**
	 * Decorates the connections the factory returns.
	 */
	private static final class ConnectionDecorator implements MethodInterceptor {

		private final CommandRetrier retrier;

		private final ExactlyOnce exactlyOnce;

		private final ReactiveConnectionRetry reactive;

		ConnectionDecorator(CommandRetrier retrier, ExactlyOnce exactlyOnce) {
			this.retrier = retrier;
			this.exactlyOnce = exactlyOnce;
			this.reactive = new ReactiveConnectionRetry(retrier);
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			String name = invocation.getMethod().getName();
			if (invocation.getMethod().getParameterCount() != 0) {
				return invocation.proceed();
			}
			if (BLOCKING.contains(name)) {
				ProxyMethodInvocation proxyInvocation = (ProxyMethodInvocation) invocation;
				Object result = this.retrier.execute(CONNECT, () -> proxyInvocation.invocableClone().proceed());
				return (result instanceof RedisConnection connection)
						? BlockingConnectionRetry.decorate(connection, this.retrier, this.exactlyOnce) : result;
			}
			Object result = invocation.proceed();
			if (REACTIVE.contains(name) && result instanceof ReactiveRedisConnection connection) {
				return this.reactive.decorate(connection);
			}
			return result;
		}

	}

}
