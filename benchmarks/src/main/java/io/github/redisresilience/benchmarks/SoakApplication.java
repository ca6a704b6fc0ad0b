package io.github.redisresilience.benchmarks;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import io.github.redisresilience.autoconfigure.topology.TopologyRefreshedEvent;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * The application the soak runs: Boot's auto-configuration with the starter, a meter registry
 * for the starter's metrics (as Actuator would provide), a count of the Lettuce client's open
 * connections and, for the negative control only, a leak.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class SoakApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	/**
	 * Lettuce's default command latency collector (on whenever LatencyUtils is on the class path,
	 * as it is with Micrometer) keeps a histogram of about 100 KiB per remote address and command
	 * type until it publishes them, every 10 minutes: each move of the pods adds several MiB to
	 * the heap, dropped at the next publication. A sawtooth that would hide a leak, or fake one,
	 * in the soak's heap trend; Boot 4 reads nothing from it (its Lettuce metrics are
	 * observations), so the soak turns it off.
	 */
	@Bean
	ClientResourcesBuilderCustomizer noCommandLatencyCollector() {
		return (builder) -> builder.commandLatencyRecorder(CommandLatencyRecorder.disabled());
	}

	@Bean
	OpenConnections openConnections(ClientResources resources) {
		return new OpenConnections(resources);
	}

	@Bean
	@ConditionalOnProperty(name = "bench.soak.leak", havingValue = "true")
	ConnectionLeak connectionLeak(TopologyWatcher watcher) {
		return new ConnectionLeak(watcher);
	}

	/**
	 * The connections the client's resources have open, from Lettuce's events: counted from the
	 * creation of the resources, before the first connection.
	 */
	static final class OpenConnections implements DisposableBean {

		private final AtomicLong open = new AtomicLong();

		private final Disposable subscription;

		OpenConnections(ClientResources resources) {
			this.subscription = resources.eventBus().get().subscribe((event) -> {
				if (event instanceof ConnectionActivatedEvent) {
					this.open.incrementAndGet();
				}
				else if (event instanceof ConnectionDeactivatedEvent) {
					this.open.decrementAndGet();
				}
			});
		}

		long count() {
			return this.open.get();
		}

		@Override
		public void destroy() {
			this.subscription.dispose();
		}

	}

	/**
	 * The negative control: one more cluster connection kept open for every topology change the
	 * starter applies, as a bug that forgot to close one would. The soak's trend judgement must
	 * fail with it.
	 */
	static final class ConnectionLeak implements DisposableBean {

		private final TopologyWatcher watcher;

		private final List<StatefulRedisClusterConnection<String, String>> kept = new CopyOnWriteArrayList<>();

		ConnectionLeak(TopologyWatcher watcher) {
			this.watcher = watcher;
		}

		@EventListener
		void onRefresh(TopologyRefreshedEvent event) {
			RedisClusterClient client = this.watcher.clusterClient();
			if (client != null) {
				try {
					StatefulRedisClusterConnection<String, String> connection = client.connect();
					// Its default node connection opens on the first command.
					connection.sync().ping();
					this.kept.add(connection);
				}
				catch (RuntimeException ex) {
					// Mid-disruption: this change leaks nothing.
				}
			}
		}

		@Override
		public void destroy() {
			this.kept.forEach(StatefulRedisClusterConnection::close);
		}

	}

}
