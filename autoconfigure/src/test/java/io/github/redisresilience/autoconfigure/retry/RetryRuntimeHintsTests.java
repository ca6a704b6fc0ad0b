package io.github.redisresilience.autoconfigure.retry;

import java.lang.reflect.Method;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.ConnectionIntent;
import io.lettuce.core.protocol.DefaultEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetryRuntimeHints}.
 */
class RetryRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	RetryRuntimeHintsTests() {
		new RetryRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void writerOfARoutedCommandIsReachable() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onFieldAccess(ClassUtils.resolveClassName(ClusterWriters.CLASS_NAME, null), ClusterWriters.FIELD_NAME))
			.accepts(this.hints);
	}

	@ParameterizedTest
	@ValueSource(strings = { BufferedCommandTimeouts.DISCONNECTED_BUFFER, BufferedCommandTimeouts.COMMAND_BUFFER })
	void buffersOfANodeConnectionAreReachable(String name) {
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(DefaultEndpoint.class, name)).accepts(this.hints);
		assertThat(BufferedCommandTimeouts.isAvailable()).isTrue();
	}

	@Test
	void seedsOfTheClusterClientAreReachable() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onFieldAccess(RedisClusterClient.class, ClusterClientPreparer.FIELD_NAME)).accepts(this.hints);
	}

	@ParameterizedTest
	@ValueSource(strings = { "getClusterConnectionProvider", "setClusterConnectionProvider", "getPartitions",
			"setPartitions" })
	void methodsOfTheClusterWriterAreInvocable(String name) {
		Method method = ClusterWriters.writerMethod(name);
		assertThat(method).as(name).isNotNull();
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method)).accepts(this.hints);
	}

	@Test
	void slotLookupOfTheConnectionProviderIsInvocable() throws NoSuchMethodException {
		Method lookup = ClassUtils.resolveClassName(AcquisitionRetry.SLOT_LOOKUP_TYPE, null)
			.getMethod("getConnectionAsync", ConnectionIntent.class, int.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(lookup)).accepts(this.hints);
	}

	@Test
	void proxyOfTheConnectionProviderIsRegistered() {
		Class<?> provider = ClassUtils.resolveClassName(RetryRuntimeHints.PROVIDER, null);
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(ClassUtils.getAllInterfacesForClass(provider, getClass().getClassLoader())))
			.accepts(this.hints);
	}

}
