package io.github.redisresilience.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link WithLocalRedisCluster}: starts the cluster, shares it
 * through the root context's store (closed when the run ends) or keeps it for one class.
 */
public final class LocalRedisClusterExtension implements BeforeAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace SHARED = ExtensionContext.Namespace
		.create(LocalRedisClusterExtension.class);

	/**
	 * A class's own clusters live apart from the shared ones: a store lookup falls through to the
	 * parent contexts, so under one namespace a class asking for its own cluster would be handed the
	 * shared cluster of the same shape whenever a class that shares had started one before it.
	 */
	private static final ExtensionContext.Namespace OWN = ExtensionContext.Namespace
		.create(LocalRedisClusterExtension.class, "own");

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		LocalRedisCluster cluster = cluster(context);
		Class<?> testClass = context.getRequiredTestClass();
		for (Class<?> type = testClass; type != null && type != Object.class; type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				if (Modifier.isStatic(field.getModifiers()) && field.getType() == LocalRedisCluster.class) {
					field.setAccessible(true);
					field.set(null, cluster);
				}
			}
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == LocalRedisCluster.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
			throws ParameterResolutionException {
		return cluster(extensionContext);
	}

	private static LocalRedisCluster cluster(ExtensionContext context) {
		WithLocalRedisCluster settings = AnnotationSupport
			.findAnnotation(context.getRequiredTestClass(), WithLocalRedisCluster.class)
			.orElseThrow(() -> new IllegalStateException(
					context.getRequiredTestClass() + " is not annotated with @WithLocalRedisCluster"));
		String key = settings.masters() + "x" + settings.replicasPerMaster() + "/"
				+ java.util.Arrays.toString(settings.announceHostnames()) + (settings.tls() ? "/tls" : "") + "/dns-ttl-"
				+ settings.dnsTtlSeconds();
		if (settings.shared()) {
			return context.getRoot()
				.getStore(SHARED)
				.getOrComputeIfAbsent(key, (ignored) -> start(settings), LocalRedisCluster.class);
		}
		ExtensionContext classContext = classContext(context);
		return classContext.getStore(OWN)
			.getOrComputeIfAbsent(key, (ignored) -> start(settings), LocalRedisCluster.class);
	}

	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

	private static LocalRedisCluster start(WithLocalRedisCluster settings) {
		LocalRedisCluster.Builder builder = LocalRedisCluster.builder()
			.masters(settings.masters())
			.replicasPerMaster(settings.replicasPerMaster())
			.dnsTtl(Duration.ofSeconds(settings.dnsTtlSeconds()));
		if (settings.announceHostnames().length > 0) {
			RedisServerBinary binary = RedisServerBinary.get();
			RequiredCapabilities.assumeOrFail("7", binary.isAtLeast(7), () -> "Announced host names need redis-server 7 or newer; the kit found "
					+ binary.server() + " " + binary.version() + " at " + binary.path() + " (" + binary.source() + ")");
			builder.announceHostnames(settings.announceHostnames()[0]);
		}
		if (settings.tls()) {
			String reason = TlsSupport.unavailableReason();
			RequiredCapabilities.assumeOrFail("tls", reason == null, () -> "Needs a TLS cluster: " + reason);
			builder.tls();
		}
		return builder.start();
	}

}
