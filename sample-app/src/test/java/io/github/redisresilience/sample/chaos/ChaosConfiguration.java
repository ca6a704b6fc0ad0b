package io.github.redisresilience.sample.chaos;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import io.github.redisresilience.sample.chaos.ChaosRunner.Operation;
import io.github.redisresilience.sample.traffic.TrafficProperties;
import io.github.redisresilience.sample.traffic.TrafficRecorder;
import io.github.redisresilience.test.LocalRedisCluster;

/**
 * The chaos API of the local-cluster mode: {@code GET /chaos} tells what runs and what ran,
 * {@code POST /chaos/{operation}} starts one (409 while another runs).
 * <p>
 * Not a {@code @Configuration}: the sample's component scan covers this package on the test
 * class path, and the chaos API must exist only where the local-cluster launcher adds it, with
 * {@code sample.chaos.enabled=true}, next to a {@link LocalRedisCluster} bean.
 */
@ConditionalOnBooleanProperty("sample.chaos.enabled")
public class ChaosConfiguration {

	@Bean
	ChaosRunner sampleChaosRunner(LocalRedisCluster cluster, TrafficRecorder traffic, TrafficProperties properties) {
		return new ChaosRunner(cluster, traffic, properties.isEnabled());
	}

	@Bean
	RouterFunction<ServerResponse> sampleChaosRoutes(ChaosRunner runner) {
		return RouterFunctions.route()
			.GET("/chaos", (request) -> ServerResponse.ok().body(state(runner)))
			.POST("/chaos/{operation}", (request) -> start(runner, request))
			.build();
	}

	private static Map<String, Object> state(ChaosRunner runner) {
		ChaosRunner.Running running = runner.running();
		return Map.of("running", (running != null) ? Map.of("operation", running.operation().path(), "label",
				running.operation().label(), "startedAt", running.started().toEpochMilli()) : Map.of(), "finished",
				runner.finished(), "pods", runner.pods());
	}

	private static ServerResponse start(ChaosRunner runner, ServerRequest request) {
		Operation operation = Operation.fromPath(request.pathVariable("operation"));
		if (operation == null) {
			return ServerResponse.notFound().build();
		}
		if (!runner.start(operation)) {
			return ServerResponse.status(HttpStatus.CONFLICT)
				.body(Map.of("error", "another chaos operation is still running", "state", state(runner)));
		}
		return ServerResponse.accepted().body(state(runner));
	}

}
