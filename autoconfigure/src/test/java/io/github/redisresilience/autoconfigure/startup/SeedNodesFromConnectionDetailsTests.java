package io.github.redisresilience.autoconfigure.startup;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeds that come from a {@link DataRedisConnectionDetails} bean (Testcontainers'
 * {@code @ServiceConnection}, Docker Compose, the application's own) rather than from
 * {@code spring.data.redis.cluster.nodes}.
 */
class SeedNodesFromConnectionDetailsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceClientAutoConfiguration.class,
				RedisResilienceStartupAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@Test
	void startsOnClusterSeedsFromAConnectionDetailsBeanWithoutTheProperty() {
		this.contextRunner.withBean(DataRedisConnectionDetails.class, () -> new ClusterDetails("127.0.0.1"))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(SeedNodesCheck.class);
				assertThat(context.getBean(LettuceConnectionFactory.class).isClusterAware()).isTrue();
			});
	}

	@Test
	void unresolvableSeedsFromAConnectionDetailsBeanFailNamingTheBean() {
		this.contextRunner.withBean(DataRedisConnectionDetails.class, () -> new ClusterDetails("no-such-redis.invalid"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidResilienceSettingException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo(
							"cluster nodes of the DataRedisConnectionDetails bean " + ClusterDetails.class.getName());
					assertThat(ex.getValue()).isEqualTo("no-such-redis.invalid:6379");
				}));
	}

	@Test
	void unresolvableSeedsFromThePropertyFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("spring.data.redis.cluster.nodes=no-such-redis.invalid:6379")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidResilienceSettingException.class,
						(ex) -> assertThat(ex.getProperty()).isEqualTo("spring.data.redis.cluster.nodes")));
	}

	@Test
	void connectionDetailsWithoutAClusterFailWhenTheClusterIsRequired() {
		this.contextRunner.withBean(DataRedisConnectionDetails.class, StandaloneDetails::new)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidResilienceSettingException.class)
				.hasMessageContaining("no cluster seed nodes are configured"));
	}

	static final class ClusterDetails implements DataRedisConnectionDetails {

		private final String host;

		ClusterDetails(String host) {
			this.host = host;
		}

		@Override
		public Cluster getCluster() {
			return () -> List.of(new Node(this.host, 6379));
		}

	}

	static final class StandaloneDetails implements DataRedisConnectionDetails {

		@Override
		public Standalone getStandalone() {
			return Standalone.of("127.0.0.1", 6379);
		}

	}

}
