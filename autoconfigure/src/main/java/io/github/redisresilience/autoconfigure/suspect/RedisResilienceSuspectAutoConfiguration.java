package io.github.redisresilience.autoconfigure.suspect;

import java.time.Clock;

import io.lettuce.core.cluster.RedisClusterClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.remap.AddressRemapper;

/**
 * Watches for suspect masters of the Redis Cluster client Spring Boot created, with or without
 * Actuator; the topology watcher, configured after it, follows it.
 */
@AutoConfiguration(after = { RedisResilienceAutoConfiguration.class, DataRedisAutoConfiguration.class })
@ConditionalOnClass({ RedisClusterClient.class, LettuceConnectionFactory.class })
@ConditionalOnBean({ LettuceConnectionFactory.class, AddressRemapper.class })
@ConditionalOnBooleanProperty(name = "redis.resilience.enabled", matchIfMissing = true)
public final class RedisResilienceSuspectAutoConfiguration {

	@Bean
	SuspectWatch redisResilienceSuspectWatch(AddressRemapper addressRemapper, ApplicationEventPublisher events) {
		return new SuspectWatch(addressRemapper::map, Clock.systemUTC(), events::publishEvent);
	}

}
