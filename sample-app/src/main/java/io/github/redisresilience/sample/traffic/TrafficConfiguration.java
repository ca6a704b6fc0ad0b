package io.github.redisresilience.sample.traffic;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The traffic record, always there for the status page, and the generator that fills it when
 * {@code sample.traffic.enabled} is set.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TrafficProperties.class)
class TrafficConfiguration {

	@Bean
	TrafficRecorder trafficRecorder(TrafficProperties properties) {
		return new TrafficRecorder(Clock.systemUTC(), properties.getHistory());
	}

	@Bean
	@ConditionalOnBooleanProperty("sample.traffic.enabled")
	TrafficGenerator trafficGenerator(StringRedisTemplate redis, TrafficRecorder recorder, TrafficProperties properties) {
		return new TrafficGenerator(redis, recorder, properties);
	}

}
