package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Tests that decorated connections retry what the rules allow, through Spring's retry for
 * blocking calls and Reactor's for reactive ones, and that the final failure is the original
 * exception carrying the attempt count and earlier causes.
 */
class ConnectionRetryTests {

	private static final byte[] KEY = { 'k' };

	private final List<String> retried = new ArrayList<>();

	private final RedisConnection connection = mock(RedisConnection.class);

	private final RedisStringCommands strings = mock(RedisStringCommands.class);

	ConnectionRetryTests() {
		given(this.connection.stringCommands()).willReturn(this.strings);
	}

	@Test
	void incrIsRetriedAfterClusterDown() {
		given(this.strings.incr(KEY)).willThrow(clusterDown()).willReturn(7L);
		assertThat(decorated(retrier()).stringCommands().incr(KEY)).isEqualTo(7L);
		assertThat(this.retried).containsExactly("clusterdown/recovered");
	}

	@Test
	void incrIsNotRetriedAfterATimeout() {
		given(this.strings.incr(KEY)).willThrow(timeout()).willReturn(7L);
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> decorated(retrier()).stringCommands().incr(KEY));
		verify(this.strings, times(1)).incr(KEY);
	}

	@Test
	void getIsRetriedAfterATimeout() {
		given(this.strings.get(KEY)).willThrow(timeout()).willReturn(KEY);
		assertThat(decorated(retrier()).stringCommands().get(KEY)).isEqualTo(KEY);
	}

	@Test
	void nothingIsRetriedInsideATransaction() {
		given(this.connection.isQueueing()).willReturn(true);
		given(this.strings.get(KEY)).willThrow(clusterDown()).willReturn(KEY);
		assertThatExceptionOfType(RedisSystemException.class)
			.isThrownBy(() -> decorated(retrier()).stringCommands().get(KEY));
	}

	@Test
	void nothingIsRetriedOnAConnectionAfterWatch() {
		given(this.strings.get(KEY)).willThrow(clusterDown()).willReturn(KEY);
		RedisConnection decorated = decorated(retrier());
		decorated.watch(KEY);
		assertThatExceptionOfType(RedisSystemException.class).isThrownBy(() -> decorated.stringCommands().get(KEY));
	}

	@Test
	void nothingIsRetriedInAPipeline() {
		given(this.connection.isPipelined()).willReturn(true);
		given(this.strings.get(KEY)).willThrow(clusterDown()).willReturn(KEY);
		assertThatExceptionOfType(RedisSystemException.class)
			.isThrownBy(() -> decorated(retrier()).stringCommands().get(KEY));
	}

	@Test
	void exhaustedAttemptsSurfaceTheLastOriginalExceptionWithTheAttemptCount() {
		RedisResilienceRetryProperties properties = fastProperties();
		properties.setMaxAttempts(3);
		willAnswer((invocation) -> {
			throw clusterDown();
		}).given(this.strings).get(KEY);
		assertThatExceptionOfType(RedisSystemException.class)
			.isThrownBy(() -> decorated(new CommandRetrier(properties, this::record)).stringCommands().get(KEY))
			.satisfies((ex) -> {
				RedisRetriesExhaustedException summary = (RedisRetriesExhaustedException) ex.getSuppressed()[0];
				assertThat(summary.getAttempts()).isEqualTo(3);
				assertThat(summary.getCommand()).isEqualTo("GET");
				assertThat(summary.getMessage()).contains("max-attempts (3) reached");
				assertThat(summary.getSuppressed()).hasSize(2);
			});
	}

	@Test
	void retriesStopWhenTheBudgetIsSpent() {
		RedisResilienceRetryProperties properties = fastProperties();
		properties.setMaxAttempts(1000);
		properties.setBudget(Duration.ofMillis(200));
		willAnswer((invocation) -> {
			throw clusterDown();
		}).given(this.strings).get(KEY);
		long started = System.nanoTime();
		assertThatExceptionOfType(RedisSystemException.class)
			.isThrownBy(() -> decorated(new CommandRetrier(properties, this::record)).stringCommands().get(KEY))
			.satisfies((ex) -> assertThat(ex.getSuppressed()[0]).hasMessageContaining("budget"));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void anAttemptThatSpendsTheWholeBudgetIsReportedAndCountedAsExhausted() {
		RedisResilienceRetryProperties properties = fastProperties();
		properties.setBudget(Duration.ofMillis(100));
		willAnswer((invocation) -> {
			Thread.sleep(300); // One attempt outlasting the budget, as a connect running into its timeout.
			throw clusterDown();
		}).given(this.strings).get(KEY);
		List<String> exhausted = new ArrayList<>();
		CommandRetrier retrier = new CommandRetrier(properties, exhaustedInto(exhausted));
		assertThatExceptionOfType(RedisSystemException.class)
			.isThrownBy(() -> decorated(retrier).stringCommands().get(KEY))
			.satisfies((ex) -> assertSingleAttemptStoppedByTheBudget(ex, "GET"));
		verify(this.strings, times(1)).get(KEY);
		assertThat(exhausted).containsExactly("clusterdown");
	}

	@Test
	void aReactiveAttemptThatSpendsTheWholeBudgetIsReportedAndCountedAsExhausted() {
		RedisResilienceRetryProperties properties = fastProperties();
		properties.setBudget(Duration.ofMillis(100));
		AtomicInteger subscriptions = new AtomicInteger();
		Mono<String> command = Mono.defer(() -> {
			subscriptions.incrementAndGet();
			return Mono.delay(Duration.ofMillis(300)).then(Mono.error(clusterDown()));
		});
		List<String> exhausted = new ArrayList<>();
		CommandRetrier retrier = new CommandRetrier(properties, exhaustedInto(exhausted));
		assertThatExceptionOfType(RedisSystemException.class)
			.isThrownBy(() -> retrier.retry(new CommandCall("GET", CommandKind.READ_ONLY), command).block())
			.satisfies((ex) -> assertSingleAttemptStoppedByTheBudget(ex, "GET"));
		assertThat(subscriptions).hasValue(1);
		assertThat(exhausted).containsExactly("clusterdown");
	}

	@Test
	void aFailureThatIsNotRetriedCarriesNoSummaryAndIsNotCountedAsExhausted() {
		given(this.strings.incr(KEY)).willThrow(timeout());
		List<String> exhausted = new ArrayList<>();
		CommandRetrier retrier = new CommandRetrier(fastProperties(), exhaustedInto(exhausted));
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> decorated(retrier).stringCommands().incr(KEY))
			.satisfies((ex) -> assertThat(ex.getSuppressed()).isEmpty());
		assertThat(exhausted).isEmpty();
	}

	private static void assertSingleAttemptStoppedByTheBudget(Throwable ex, String command) {
		// Reactor's block() adds its own suppressed exception after the summary.
		assertThat(ex.getSuppressed()).isNotEmpty();
		assertThat(ex.getSuppressed()[0]).isInstanceOf(RedisRetriesExhaustedException.class);
		RedisRetriesExhaustedException summary = (RedisRetriesExhaustedException) ex.getSuppressed()[0];
		assertThat(summary.getCommand()).isEqualTo(command);
		assertThat(summary.getAttempts()).isEqualTo(1);
		assertThat(summary.getMessage()).contains("redis.resilience.retry.budget (100ms)");
		assertThat(summary.getSuppressed()).isEmpty();
	}

	private static RetryMetrics exhaustedInto(List<String> exhausted) {
		return new RetryMetrics() {

			@Override
			public void retried(String reason, boolean recovered) {
			}

			@Override
			public void exhausted(String reason) {
				exhausted.add(reason);
			}

		};
	}

	@Test
	void reactiveCommandIsResubscribedAfterClusterDown() {
		AtomicInteger subscriptions = new AtomicInteger();
		Mono<String> command = Mono.defer(() -> (subscriptions.incrementAndGet() < 3) ? Mono.error(clusterDown())
				: Mono.just("ok"));
		assertThat(retrier().retry(new CommandCall("INCR", CommandKind.WRITE), command).block()).isEqualTo("ok");
		assertThat(subscriptions).hasValue(3);
		assertThat(this.retried).containsExactly("clusterdown/failed", "clusterdown/recovered");
	}

	@Test
	void reactiveNonIdempotentCommandIsNotResubscribedAfterATimeout() {
		AtomicInteger subscriptions = new AtomicInteger();
		Mono<String> command = Mono.defer(() -> {
			subscriptions.incrementAndGet();
			return Mono.error(timeout());
		});
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> retrier().retry(new CommandCall("INCR", CommandKind.WRITE), command).block());
		assertThat(subscriptions).hasValue(1);
	}

	@Test
	void reactiveMultiElementReplyIsNotRetriedOnceAnElementWasEmitted() {
		AtomicInteger subscriptions = new AtomicInteger();
		Flux<String> command = Flux.defer(() -> {
			subscriptions.incrementAndGet();
			return Flux.just("a").concatWith(Flux.error(clusterDown()));
		});
		assertThatExceptionOfType(RedisSystemException.class).isThrownBy(
				() -> retrier().retry(new CommandCall("LRANGE", CommandKind.READ_ONLY), command).collectList().block());
		assertThat(subscriptions).hasValue(1);
	}

	private RedisConnection decorated(CommandRetrier retrier) {
		return BlockingConnectionRetry.decorate(this.connection, retrier, new ExactlyOnce(java.util.Set.of(), java.time.Duration.ofMinutes(1)));
	}

	private CommandRetrier retrier() {
		return new CommandRetrier(fastProperties(), this::record);
	}

	private void record(String reason, boolean recovered) {
		this.retried.add(reason + "/" + (recovered ? "recovered" : "failed"));
	}

	private static RedisResilienceRetryProperties fastProperties() {
		RedisResilienceRetryProperties properties = new RedisResilienceRetryProperties();
		properties.setInitialBackoff(Duration.ofMillis(1));
		properties.setMaxBackoff(Duration.ofMillis(10));
		return properties;
	}

	private static RuntimeException clusterDown() {
		return new RedisSystemException("Error in execution",
				new RedisCommandExecutionException("CLUSTERDOWN The cluster is down"));
	}

	private static RuntimeException timeout() {
		return new QueryTimeoutException("Redis command timed out",
				new RedisCommandTimeoutException("Command timed out after 2 second(s)"));
	}

}
