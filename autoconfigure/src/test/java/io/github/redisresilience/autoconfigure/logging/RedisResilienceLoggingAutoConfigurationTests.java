package io.github.redisresilience.autoconfigure.logging;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

import io.github.redisresilience.autoconfigure.RedisResilienceAutoConfiguration;
import io.github.redisresilience.autoconfigure.client.RedisResilienceClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RedisResilienceLoggingAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisResilienceAutoConfiguration.class,
				RedisResilienceClientAutoConfiguration.class,
				RedisResilienceLoggingAutoConfiguration.class, DataRedisAutoConfiguration.class,
				TaskSchedulingAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1");

	@Test
	void summarisesReconnectTroubleOfBootsClient() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(ReconnectTroubleLog.class);
			assertThat(context.getBean(ReconnectTroubleLog.class).isRunning()).isTrue();
		});
	}

	@Test
	void summaryRunsOnNamedThreadsFromBootsTaskSchedulerBuilder() {
		this.contextRunner.run((context) -> assertThat(threadOfATaskOn(context.getBean(ReconnectTroubleLog.class)))
			.satisfies((thread) -> assertThat(thread.getName()).startsWith("redis-resilience-log-")));
	}

	@Test
	void summaryRunsOnVirtualThreadsWhenBootUsesThem() {
		assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21");
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(threadOfATaskOn(context.getBean(ReconnectTroubleLog.class)).toString())
				.startsWith("VirtualThread"));
	}

	private static Thread threadOfATaskOn(ReconnectTroubleLog log) throws Exception {
		SimpleAsyncTaskScheduler scheduler = log.scheduler();
		assertThat(scheduler).as("the started log's scheduler").isNotNull();
		CompletableFuture<Thread> thread = new CompletableFuture<>();
		scheduler.schedule(() -> thread.complete(Thread.currentThread()), Instant.now());
		return thread.get(10, TimeUnit.SECONDS);
	}

	@Test
	void backsOffWhenFoldingIsOff() {
		this.contextRunner.withPropertyValues("redis.resilience.logging.fold-lettuce-warnings=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReconnectTroubleLog.class));
	}

	@Test
	void backsOffWhenTheStarterIsDisabled() {
		this.contextRunner.withPropertyValues("redis.resilience.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReconnectTroubleLog.class));
	}

}
