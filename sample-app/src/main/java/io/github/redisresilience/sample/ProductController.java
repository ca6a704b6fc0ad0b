package io.github.redisresilience.sample;

import java.time.Duration;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A cache-backed lookup on the reactive path: product descriptions come from a slow catalogue
 * and are kept in the Redis Cluster for a minute.
 */
@RestController
class ProductController {

	private static final Duration CACHED_FOR = Duration.ofMinutes(1);

	/** What a call to a slow backing service costs, so that a cache hit is visibly faster. */
	private static final Duration CATALOGUE_LATENCY = Duration.ofMillis(50);

	private final ReactiveStringRedisTemplate redis;

	ProductController(ReactiveStringRedisTemplate redis) {
		this.redis = redis;
	}

	@GetMapping("/products/{id}")
	Mono<Map<String, Object>> lookup(@PathVariable String id) {
		String key = "product:" + id;
		Mono<Map<String, Object>> cached = this.redis.opsForValue()
			.get(key)
			.map((description) -> Map.of("id", id, "description", description, "source", "cache"));
		Mono<Map<String, Object>> loaded = fromCatalogue(id)
			.flatMap((description) -> this.redis.opsForValue()
				.set(key, description, CACHED_FOR)
				.thenReturn(Map.<String, Object>of("id", id, "description", description, "source", "catalogue")));
		return cached.switchIfEmpty(loaded);
	}

	private static Mono<String> fromCatalogue(String id) {
		return Mono.delay(CATALOGUE_LATENCY).map((ignored) -> "Product " + id);
	}

}
