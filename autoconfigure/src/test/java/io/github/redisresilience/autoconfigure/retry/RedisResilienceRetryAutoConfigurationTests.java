package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.RegisteredFailureAnalyzers;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RedisResilienceRetryAutoConfiguration}: conditions, property binding and
 * validation, and the decoration of Spring Boot's connection factory.
 */
class RedisResilienceRetryAutoConfigurationTests {

	// Nothing listens on port 1: every connect is refused, a failure where no command ran.
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceClientAutoConfiguration.class,
				DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class,
				RedisResilienceRetryAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.port=1");

	@Test
	void connectionFactoryStaysALettuceConnectionFactoryBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LettuceConnectionFactory.class);
			LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
			assertThat(factory.getClass()).isEqualTo(LettuceConnectionFactory.class);
			assertThat(AopUtils.isAopProxy(factory)).isFalse();
			assertThat(context).hasSingleBean(ChannelCommandRetry.class);
			assertThat(factory.isRunning()).isTrue();
			assertThat(factory.getNativeClient()).isNotNull();
		});
	}

	@Test
	void defaultsBindAsDocumented() {
		this.contextRunner.run((context) -> {
			RedisResilienceRetryProperties properties = context.getBean(RedisResilienceRetryProperties.class);
			assertThat(properties.getMaxAttempts()).isEqualTo(30);
			assertThat(properties.getInitialBackoff()).isEqualTo(Duration.ofMillis(50));
			assertThat(properties.getMultiplier()).isEqualTo(2.0);
			assertThat(properties.getMaxBackoff()).isEqualTo(Duration.ofMillis(500));
			assertThat(properties.getJitter()).isEqualTo(0.5);
			assertThat(properties.getBudget()).isEqualTo(Duration.ofSeconds(10));
			assertThat(properties.getAmbiguous()).isEqualTo(AmbiguousFailureRetry.IDEMPOTENT_ONLY);
			assertThat(properties.getReplay()).isEqualTo(ReplayPolicy.IDEMPOTENT_ONLY);
		});
	}

	@Test
	void exactlyOnceCommandsBindFromAListInAnyCase() {
		this.contextRunner.withPropertyValues("redis.resilience.retry.exactly-once=incr, INCRBY,hincrby")
			.run((context) -> {
				assertThat(context.getBean(RedisResilienceRetryProperties.class).getExactlyOnce()).containsExactly(
						ExactlyOnceCommand.INCR, ExactlyOnceCommand.INCRBY, ExactlyOnceCommand.HINCRBY);
				assertThat(context.getBean(ChannelCommandRetry.class).tokenScript().isEnabled()).isTrue();
			});
	}

	@Test
	void exactlyOnceIsOffByDefault() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(ChannelCommandRetry.class).tokenScript().isEnabled()).isFalse());
	}

	@Test
	void unknownExactlyOnceCommandFailsTheStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("redis.resilience.retry.exactly-once=INCR,SADD")
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'redis.resilience.retry.exactly-once'"));
	}

	@Test
	void replayGuardIsOnEveryChannelOfTheClient() {
		this.contextRunner.run((context) -> assertThat(guardsChannels(context.getBean(ClientResources.class))).isTrue());
	}

	@Test
	void replayGuardStaysWhenRetryIsDisabled() {
		this.contextRunner.withPropertyValues("redis.resilience.retry.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(ReplayGuard.class);
			assertThat(guardsChannels(context.getBean(ClientResources.class))).isTrue();
		});
	}

	@Test
	void replayAllLeavesChannelsAsLettuceBuildsThem() {
		this.contextRunner.withPropertyValues("redis.resilience.retry.replay=all")
			.run((context) -> assertThat(guardsChannels(context.getBean(ClientResources.class))).isFalse());
	}

	private static boolean guardsChannels(ClientResources resources) {
		EmbeddedChannel channel = new EmbeddedChannel();
		try {
			resources.nettyCustomizer().afterChannelInitialized(channel);
			return channel.pipeline()
				.toMap()
				.values()
				.stream()
				.anyMatch((handler) -> handler.getClass().getEnclosingClass() == ReplayGuard.class);
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void ambiguousBindsFromKebabCase() {
		this.contextRunner.withPropertyValues("redis.resilience.retry.ambiguous=all")
			.run((context) -> assertThat(context.getBean(RedisResilienceRetryProperties.class).getAmbiguous())
				.isEqualTo(AmbiguousFailureRetry.ALL));
	}

	@Test
	void backsOffWhenRetryIsDisabled() {
		this.contextRunner.withPropertyValues("redis.resilience.retry.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ChannelCommandRetry.class);
			assertThat(context).doesNotHaveBean(AttemptTimeouts.class);
		});
	}

	@Test
	void backsOffWhenResilienceIsDisabled() {
		this.contextRunner.withPropertyValues("redis.resilience.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ChannelCommandRetry.class));
	}

	@Test
	void backsOffWithoutLettuce() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.lettuce"))
			.run((context) -> assertThat(context).doesNotHaveBean(ChannelCommandRetry.class));
	}

	@Test
	void countsRetriesWithMicrometerWhenAMeterRegistryExists() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).hasSingleBean(MicrometerRetryMetrics.class));
	}

	@Test
	void springDatasCommandTimeoutIsTheOverallDeadlineAndAttemptsKeepTheCommandTimeout() {
		this.contextRunner.withPropertyValues("spring.data.redis.timeout=3s", "redis.resilience.retry.budget=7s")
			.run((context) -> {
				AttemptTimeouts timeouts = context.getBean(AttemptTimeouts.class);
				assertThat(timeouts.attemptTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getCommandTimeout())
					.isEqualTo(timeouts.overallDeadline())
					.isGreaterThanOrEqualTo(Duration.ofSeconds(10));
			});
	}

	@Test
	void springDatasCommandTimeoutStaysTheCommandTimeoutWhenRetryIsDisabled() {
		this.contextRunner.withPropertyValues("spring.data.redis.timeout=3s", "redis.resilience.retry.enabled=false")
			.run((context) -> assertThat(
					context.getBean(LettuceConnectionFactory.class).getClientConfiguration().getCommandTimeout())
				.isEqualTo(Duration.ofSeconds(3)));
	}

	/**
	 * The limit of a retry below Spring Data: a command whose connection cannot be opened never
	 * reaches a channel, so it fails at once, unretried (here a standalone client, whose commands
	 * are not routed by a cluster connection either).
	 */
	@Test
	void aCommandWhoseConnectionIsRefusedFailsUnretried() {
		this.contextRunner.run((context) -> {
			loadTheClientsConnectPath(context.getBean(LettuceConnectionFactory.class));
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> template.opsForValue().get("key"))
				.satisfies((ex) -> assertThat(ex.getSuppressed()).isEmpty());
		});
	}

	@Test
	void metricsAreLeftOutWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasSingleBean(ChannelCommandRetry.class);
			assertThat(context).doesNotHaveBean(MicrometerRetryMetrics.class);
		});
	}

	/**
	 * The first connect in a JVM loads and links Lettuce's and Netty's connection classes (some
	 * 700): on a busy machine that single refused attempt took 2 to 4 seconds, the whole 2s
	 * budget, so the retrier rightly made no second attempt and these tests measured class
	 * loading instead of retries. One connect through the native client takes that cost out of
	 * the command tested.
	 */
	private static void loadTheClientsConnectPath(LettuceConnectionFactory factory) {
		RedisClient client = (RedisClient) factory.getNativeClient();
		assertThat(client).isNotNull();
		assertThatExceptionOfType(RedisConnectionException.class).isThrownBy(client::connect);
	}

	@ParameterizedTest(name = "{0}={1}")
	@MethodSource("invalidSettings")
	void invalidSettingFailsWithAnalysisNamingThePropertyAndQuotingTheValue(String property, String value,
			String reason) {
		this.contextRunner.withPropertyValues(property + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'" + value + "'").contains(property).contains(reason);
			assertThat(analysis.getAction()).contains("'" + property + "'");
		});
	}

	static Stream<Arguments> invalidSettings() {
		String prefix = "redis.resilience.retry.";
		return Stream.of(Arguments.of(prefix + "max-attempts", "0", "at least 1"),
				Arguments.of(prefix + "initial-backoff", "0s", "at least 1ms"),
				Arguments.of(prefix + "max-backoff", "10ms", "must not be shorter than"),
				Arguments.of(prefix + "multiplier", "0.5", "shrink"),
				Arguments.of(prefix + "jitter", "1.5", "between 0 and 1"),
				Arguments.of(prefix + "budget", "0s", "at least 1ms"),
				Arguments.of(prefix + "exactly-once-ttl", "10s", "longer than redis.resilience.retry.budget"));
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).hasRootCauseInstanceOf(InvalidResilienceSettingException.class);
		FailureAnalysis analysis = RegisteredFailureAnalyzers.analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

}
