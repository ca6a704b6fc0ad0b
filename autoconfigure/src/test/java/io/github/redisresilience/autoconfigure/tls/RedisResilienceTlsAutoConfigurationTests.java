package io.github.redisresilience.autoconfigure.tls;

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

import static org.assertj.core.api.Assertions.assertThat;

class RedisResilienceTlsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceTlsAutoConfiguration.class, DataRedisAutoConfiguration.class, SslAutoConfiguration.class))
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

}
