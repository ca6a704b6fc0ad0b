package io.github.redisresilience.autoconfigure.logging;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Contributes {@code logging.level} defaults for the Lettuce loggers that repeat themselves while
 * nodes move, as the lowest-precedence property source: a level the application sets for such a
 * logger, or for one of its parents, wins. Spring Boot's logging system applies them, whichever
 * logging library is in use.
 * <p>
 * During a move of every pod Lettuce logs a warning, most with a stack trace, for every failed
 * reconnect and every node a topology refresh could not reach: hundreds of lines for an event the
 * starter handles. {@link ReconnectTroubleLog} says the same in two lines.
 */
class LettuceLogLevels implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "redisResilienceLettuceLogLevels";

	/** Each logger and the level that keeps its errors but not its per-attempt warnings. */
	static final Map<String, String> LEVELS = levels();

	private static Map<String, String> levels() {
		Map<String, String> levels = new LinkedHashMap<>();
		// "Unable to connect to [...]" and "Cannot retrieve partition view" for every node a refresh missed.
		levels.put("io.lettuce.core.cluster.topology.DefaultClusterTopologyRefresh", "ERROR");
		// "Cannot refresh Redis Cluster topology" with a stack trace, after every failed refresh.
		levels.put("io.lettuce.core.cluster.ClusterTopologyRefreshScheduler", "ERROR");
		// "Reconnecting, last destination was ..." (INFO) and "Cannot reconnect to ..." (WARN) for every attempt.
		levels.put("io.lettuce.core.protocol.ConnectionWatchdog", "ERROR");
		// The message of every failed node connection, which also fails the caller (no detail lost).
		levels.put("io.lettuce.core.cluster.RedisClusterClient", "ERROR");
		// "Reconnected to ..." for every connection that came back.
		levels.put("io.lettuce.core.protocol.ReconnectionHandler", "WARN");
		// "Connection is already closed" when Spring Data releases its shared cluster connection
		// asynchronously and shuts the client down at once: both close the same node connections.
		levels.put("io.lettuce.core.RedisChannelHandler", "ERROR");
		return Map.copyOf(levels);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("redis.resilience.enabled", Boolean.class, true)
				|| !environment.getProperty("redis.resilience.logging.fold-lettuce-warnings", Boolean.class, true)) {
			return;
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		LEVELS.forEach((logger, level) -> {
			if (!levelSet(environment, logger)) {
				defaults.put("logging.level." + logger, level);
			}
		});
		if (!defaults.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
		}
	}

	/** Whether the application sets a level for the logger or one of its parents (the root aside). */
	private static boolean levelSet(ConfigurableEnvironment environment, String logger) {
		for (String name = logger; !name.isEmpty(); name = parent(name)) {
			if (environment.containsProperty("logging.level." + name)) {
				return true;
			}
		}
		return false;
	}

	private static String parent(String name) {
		int dot = name.lastIndexOf('.');
		return (dot > 0) ? name.substring(0, dot) : "";
	}

	/** After the application's configuration files are loaded, so their levels are seen. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
