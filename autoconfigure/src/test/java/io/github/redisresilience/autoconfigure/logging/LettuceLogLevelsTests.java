package io.github.redisresilience.autoconfigure.logging;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class LettuceLogLevelsTests {

	private static final String WATCHDOG = "logging.level.io.lettuce.core.protocol.ConnectionWatchdog";

	@Test
	void turnsDownLettucesRepetitiveLoggersByDefault() {
		StandardEnvironment environment = postProcessed(Map.of());
		assertThat(environment.getProperty(WATCHDOG)).isEqualTo("ERROR");
		assertThat(environment.getProperty("logging.level.io.lettuce.core.cluster.topology.DefaultClusterTopologyRefresh"))
			.isEqualTo("ERROR");
		assertThat(environment.getProperty("logging.level.io.lettuce.core.cluster.ClusterTopologyRefreshScheduler"))
			.isEqualTo("ERROR");
		assertThat(environment.getProperty("logging.level.io.lettuce.core.protocol.ReconnectionHandler"))
			.isEqualTo("WARN");
		assertThat(environment.getProperty("logging.level.io.lettuce.core.RedisChannelHandler")).isEqualTo("ERROR");
		assertThat(environment.getProperty("logging.level.io.lettuce.core.cluster.RedisClusterClient")).isEqualTo("ERROR");
	}

	@Test
	void levelTheApplicationSetsForTheLoggerWins() {
		StandardEnvironment environment = postProcessed(Map.of(WATCHDOG, "DEBUG"));
		assertThat(environment.getProperty(WATCHDOG)).isEqualTo("DEBUG");
		assertThat(environment.getProperty("logging.level.io.lettuce.core.protocol.ReconnectionHandler"))
			.isEqualTo("WARN");
	}

	@Test
	void levelTheApplicationSetsForAParentLoggerLeavesItsLoggersAlone() {
		StandardEnvironment environment = postProcessed(Map.of("logging.level.io.lettuce", "INFO"));
		assertThat(environment.getPropertySources().contains(LettuceLogLevels.PROPERTY_SOURCE_NAME)).isFalse();
		assertThat(environment.getProperty(WATCHDOG)).isNull();
	}

	@Test
	void contributesNothingWhenFoldingIsOff() {
		StandardEnvironment environment = postProcessed(Map.of("redis.resilience.logging.fold-lettuce-warnings", "false"));
		assertThat(environment.getProperty(WATCHDOG)).isNull();
	}

	@Test
	void contributesNothingWhenTheStarterIsOff() {
		StandardEnvironment environment = postProcessed(Map.of("redis.resilience.enabled", "false"));
		assertThat(environment.getProperty(WATCHDOG)).isNull();
	}

	private static StandardEnvironment postProcessed(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("application", properties));
		new LettuceLogLevels().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
