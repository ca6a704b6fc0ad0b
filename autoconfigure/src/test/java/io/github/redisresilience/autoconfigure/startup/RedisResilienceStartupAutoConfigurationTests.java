package io.github.redisresilience.autoconfigure.startup;

import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

import static org.assertj.core.api.Assertions.assertThat;

class RedisResilienceStartupAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceClientAutoConfiguration.class,
				RedisResilienceStartupAutoConfiguration.class, DataRedisAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1");

	@Test
	void checksNodeCertificatesOfBootsConnectionFactory() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(NodeCertificateCheck.class));
	}

	@Test
	void leavesBootsTlsSettingsAsTheyAre() {
		this.contextRunner.withPropertyValues("spring.data.redis.ssl.enabled=true").run((context) -> {
			LettuceClientConfiguration configuration = context.getBean(LettuceConnectionFactory.class)
				.getClientConfiguration();
			assertThat(configuration.isUseSsl()).isTrue();
			assertThat(configuration.getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
		});
	}

	@Test
	void backsOffWhenTheStarterIsDisabled() {
		this.contextRunner.withPropertyValues("redis.resilience.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NodeCertificateCheck.class));
	}

	@Test
	void backsOffWithoutLettuce() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisClusterClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(NodeCertificateCheck.class));
	}

	@Test
	void startupFailsNamingThePropertyWhenNoClusterSeedsAreSet() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
					RedisResilienceClientAutoConfiguration.class,
					RedisResilienceStartupAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidResilienceSettingException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("spring.data.redis.cluster.nodes");
					assertThat(ex.getFix()).contains("redis.resilience.require-cluster=false");
				}));
	}

	@Test
	void startsWithoutClusterSeedsWhenTheClusterIsNotRequired() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
					RedisResilienceClientAutoConfiguration.class,
					RedisResilienceStartupAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withPropertyValues("redis.resilience.require-cluster=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startupFailsNamingTheUnknownHostsWhenNoSeedResolves() {
		this.contextRunner.withPropertyValues("spring.data.redis.cluster.nodes=no-such-redis.invalid:6379")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidResilienceSettingException.class, (ex) -> {
					assertThat(ex.getValue()).isEqualTo("no-such-redis.invalid:6379");
					assertThat(ex.getReason()).contains("unknown hosts: no-such-redis.invalid");
				}));
	}

	@Test
	void startsWhenOneSeedResolves() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.cluster.nodes=no-such-redis.invalid:6379,127.0.0.1:6379")
			.run((context) -> assertThat(context).hasNotFailed());
	}

}
