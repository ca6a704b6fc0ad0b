package io.github.redisresilience.autoconfigure.retry;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.data.redis.connection.ReactiveRedisConnection;

/**
 * Decorates reactive connections and the command groups they hand out, so that the publisher
 * each command call returns retries by subscribing again (Spring Data's reactive commands are
 * cold: each subscription sends the command).
 * <p>
 * Spring Data's Lettuce factory declares its reactive connections and their command groups as
 * concrete, package-private classes, so the proxies here are subclasses of those classes
 * rather than interface proxies. The interceptor holds no per-connection state (reactive
 * connections have no transactions or pipelines), so one instance serves every proxy and the
 * proxy classes are generated once.
 */
final class ReactiveConnectionRetry implements MethodInterceptor {

	private final CommandRetrier retrier;

	ReactiveConnectionRetry(CommandRetrier retrier) {
		this.retrier = retrier;
	}

	/**
	 * Decorate a connection.
	 * @param <C> the connection type
	 * @param connection the connection from Spring Data's factory
	 * @return a proxy of the connection's class
	 */
	@SuppressWarnings("unchecked")
	<C extends ReactiveRedisConnection> C decorate(C connection) {
		return (C) proxy(connection);
	}

	private Object proxy(Object target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		factory.addAdvice(this);
		return factory.getProxy(target.getClass().getClassLoader());
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if (CommandTable.isCommandGroup(invocation.getMethod())) {
			Object group = invocation.proceed();
			return (group != null) ? proxy(group) : null;
		}
		CommandCall command = CommandTable.resolve(invocation.getMethod(), invocation.getArguments());
		Object result = invocation.proceed();
		if (command == null) {
			return result;
		}
		if (result instanceof Mono<?> mono) {
			return this.retrier.retry(command, mono);
		}
		if (result instanceof Flux<?> flux) {
			return this.retrier.retry(command, flux);
		}
		return result;
	}

}
