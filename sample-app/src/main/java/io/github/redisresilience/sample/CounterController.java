package io.github.redisresilience.sample;

import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Named counters kept in the Redis Cluster.
 */
@RestController
class CounterController {

	private final StringRedisTemplate redis;

	CounterController(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@PostMapping("/counters/{name}")
	Map<String, Object> increment(@PathVariable String name) {
		Long value = this.redis.opsForValue().increment(key(name));
		return Map.of("name", name, "value", (value != null) ? value : 0);
	}

	@GetMapping("/counters/{name}")
	Map<String, Object> read(@PathVariable String name) {
		String value = this.redis.opsForValue().get(key(name));
		return Map.of("name", name, "value", (value != null) ? Long.parseLong(value) : 0);
	}

	private static String key(String name) {
		return "counter:" + name;
	}

}
