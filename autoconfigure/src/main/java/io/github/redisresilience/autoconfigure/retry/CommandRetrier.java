package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * Runs Redis commands with retries: blocking calls through Spring Framework's
 * {@link RetryTemplate}, reactive ones through Reactor's {@link Retry#backoff backoff retry},
 * both with the same exponential backoff, jitter, attempt limit and time budget, and both
 * asking {@link RetryRules} whether a failure may be retried for the command at hand.
 * <p>
 * A command that fails for good throws the exception of its last attempt, carrying a
 * {@link RedisRetriesExhaustedException} that holds the attempt count and earlier failures.
 */
final class CommandRetrier {

	private static final Log logger = LogFactory.getLog(CommandRetrier.class);

	private final RedisResilienceRetryProperties settings;

	private final RetryRules rules;

	private final RetryMetrics metrics;

	private final RetryTemplate notExecutedOnly;

	private final RetryTemplate notExecutedOrAmbiguous;

	CommandRetrier(RedisResilienceRetryProperties settings, RetryMetrics metrics) {
		this.settings = settings;
		this.rules = new RetryRules(settings.getAmbiguous());
		this.metrics = metrics;
		this.notExecutedOnly = template(false);
		this.notExecutedOrAmbiguous = template(true);
	}

	/**
	 * One template per answer to "may an ambiguous failure be retried", chosen per command; the
	 * rules have already excluded the commands that are never retried.
	 */
	private RetryTemplate template(boolean ambiguousToo) {
		RetryPolicy policy = RetryPolicy.builder()
			.maxRetries(this.settings.getMaxAttempts() - 1L)
			.delay(this.settings.getInitialBackoff())
			.multiplier(this.settings.getMultiplier())
			.maxDelay(this.settings.getMaxBackoff())
			.jitter(absoluteJitter())
			.timeout(this.settings.getBudget())
			.predicate((failure) -> retriable(Failure.of(failure).kind(), ambiguousToo))
			.build();
		RetryTemplate template = new RetryTemplate(policy);
		template.setRetryListener(new Listener());
		return template;
	}

	private static boolean retriable(FailureKind failure, boolean ambiguousToo) {
		return failure == FailureKind.NOT_EXECUTED || (ambiguousToo && failure == FailureKind.AMBIGUOUS);
	}

	/**
	 * Spring's backoff scales an absolute jitter with the delay; expressed against the first
	 * delay it varies every delay by the same fraction Reactor's jitter factor does.
	 */
	private Duration absoluteJitter() {
		return Duration.ofMillis((long) (this.settings.getInitialBackoff().toMillis() * this.settings.getJitter()));
	}

	/**
	 * Run a blocking command, retrying it while the rules allow.
	 * @param command the command
	 * @param attempt one attempt
	 * @return the attempt's result
	 * @throws Throwable the last attempt's failure
	 */
	@Nullable Object execute(CommandCall command, Invocation attempt) throws Throwable {
		if (command.kind() == CommandKind.NEVER_RETRIED || this.settings.getMaxAttempts() == 1) {
			return attempt.invoke();
		}
		RetryTemplate template = this.rules.retriesAmbiguous(command.kind()) ? this.notExecutedOrAmbiguous
				: this.notExecutedOnly;
		Attempt retryable = new Attempt(command, attempt);
		try {
			return template.execute(retryable);
		}
		catch (RetryException ex) {
			throw finalFailure(command, ex.getExceptions(), retryable.elapsed(), true);
		}
	}

	/**
	 * Retry a reactive command while the rules allow; each retry subscribes again, which sends
	 * the command again.
	 * @param <T> the element type
	 * @param command the command
	 * @param mono the command's publisher
	 * @return the publisher with retries
	 */
	<T> Mono<T> retry(CommandCall command, Mono<T> mono) {
		if (command.kind() == CommandKind.NEVER_RETRIED || this.settings.getMaxAttempts() == 1) {
			return mono;
		}
		return Mono.defer(() -> {
			ReactiveAttempts attempts = new ReactiveAttempts(command);
			return mono.retryWhen(attempts.spec())
				.doOnSuccess((value) -> attempts.succeeded())
				.onErrorMap(attempts::failed);
		});
	}

	/**
	 * Retry a reactive command that replies with several elements, but only as long as none
	 * has been emitted: a retry after that would deliver them twice.
	 * @param <T> the element type
	 * @param command the command
	 * @param flux the command's publisher
	 * @return the publisher with retries
	 */
	<T> Flux<T> retry(CommandCall command, Flux<T> flux) {
		if (command.kind() == CommandKind.NEVER_RETRIED || this.settings.getMaxAttempts() == 1) {
			return flux;
		}
		return Flux.defer(() -> {
			ReactiveAttempts attempts = new ReactiveAttempts(command);
			return flux.doOnNext((value) -> attempts.emitted())
				.retryWhen(attempts.spec())
				.doOnComplete(attempts::succeeded)
				.onErrorMap(attempts::failed);
		});
	}

	/**
	 * The failure a command finally throws: its last attempt's exception, with a summary once
	 * retrying was given up on. A single failure gets one too when it could have been retried
	 * but the budget was already spent by that attempt (a connect that runs into its own
	 * timeout, or a first connect that loads the client's classes on a busy machine): without
	 * it, a command that stopped because of the budget would look like one never retried, and
	 * would not be counted as exhausted. A single failure that the rules do not retry, or that
	 * a multi-element reply had already emitted into, was not given up on: it stays as it is.
	 */
	private Throwable finalFailure(CommandCall command, List<Throwable> failures, Duration elapsed,
			boolean retriable) {
		Throwable last = failures.get(failures.size() - 1);
		if (failures.size() == 1 && !(retriable && this.rules.mayRetry(command.kind(), Failure.of(last)))) {
			return last;
		}
		RedisRetriesExhaustedException summary = new RedisRetriesExhaustedException(command.name(), failures.size(),
				elapsed, stopReason(command, last, failures.size(), elapsed));
		this.metrics.exhausted(Failure.of(last).reason());
		for (Throwable earlier : failures.subList(0, failures.size() - 1)) {
			if (earlier != last) {
				summary.addSuppressed(earlier);
			}
		}
		last.addSuppressed(summary);
		logger.debug(summary.getMessage(), last);
		return last;
	}

	private String stopReason(CommandCall command, Throwable last, int attempts, Duration elapsed) {
		Failure failure = Failure.of(last);
		if (!this.rules.mayRetry(command.kind(), failure)) {
			return "the last failure (" + failure.reason() + ") is not retried for " + command.name();
		}
		if (attempts >= this.settings.getMaxAttempts()) {
			return "redis.resilience.retry.max-attempts (" + this.settings.getMaxAttempts() + ") reached";
		}
		return "no attempt fits in what remains of redis.resilience.retry.budget ("
				+ this.settings.getBudget().toMillis() + "ms)";
	}

	private void logRetry(CommandCall command, Failure failure, int retry, @Nullable Throwable cause) {
		if (logger.isDebugEnabled()) {
			logger.debug("Retrying " + command.name() + " (retry " + retry + " of at most "
					+ (this.settings.getMaxAttempts() - 1) + ") after a " + failure.kind() + " failure ("
					+ failure.reason() + "): " + ((cause != null) ? cause.getMessage() : ""));
		}
	}

	/**
	 * One attempt of a blocking command.
	 */
	@FunctionalInterface
	interface Invocation {

		@Nullable Object invoke() throws Throwable;

	}

	/**
	 * One blocking command under the {@link RetryTemplate}, remembering the reason of the failure
	 * being retried so that its outcome can be counted.
	 */
	private static final class Attempt implements Retryable<@Nullable Object> {

		private final CommandCall command;

		private final Invocation attempt;

		private final long started = System.nanoTime();

		private @Nullable Failure retrying;

		Attempt(CommandCall command, Invocation attempt) {
			this.command = command;
			this.attempt = attempt;
		}

		@Override
		public @Nullable Object execute() throws Throwable {
			return this.attempt.invoke();
		}

		@Override
		public String getName() {
			return this.command.name();
		}

		Duration elapsed() {
			return Duration.ofNanos(System.nanoTime() - this.started);
		}

	}

	/**
	 * Logs and counts the retries of blocking commands.
	 */
	private final class Listener implements RetryListener {

		@Override
		public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState retryState) {
			Attempt attempt = (Attempt) retryable;
			Throwable cause = retryState.getLastException();
			attempt.retrying = Failure.of(cause);
			logRetry(attempt.command, attempt.retrying, retryState.getRetryCount(), cause);
		}

		@Override
		public void onRetrySuccess(RetryPolicy retryPolicy, Retryable<?> retryable, @Nullable Object result) {
			count((Attempt) retryable, true);
		}

		@Override
		public void onRetryFailure(RetryPolicy retryPolicy, Retryable<?> retryable, Throwable throwable) {
			count((Attempt) retryable, false);
		}

		private void count(Attempt attempt, boolean recovered) {
			Failure retrying = attempt.retrying;
			if (retrying != null) {
				CommandRetrier.this.metrics.retried(retrying.reason(), recovered);
			}
		}

	}

	/**
	 * The attempts of one subscription to a reactive command: the failures so far, the time
	 * budget, and whether an element was already emitted.
	 */
	private final class ReactiveAttempts {

		private final CommandCall command;

		private final long started = System.nanoTime();

		private final List<Throwable> failures = new ArrayList<>();

		private volatile boolean emitted;

		private volatile @Nullable Failure retrying;

		ReactiveAttempts(CommandCall command) {
			this.command = command;
		}

		RetryBackoffSpec spec() {
			RedisResilienceRetryProperties settings = CommandRetrier.this.settings;
			return Retry.backoff(settings.getMaxAttempts() - 1L, settings.getInitialBackoff())
				.maxBackoff(settings.getMaxBackoff())
				.multiplier(settings.getMultiplier())
				.jitter(settings.getJitter())
				.filter(this::mayRetry)
				.doBeforeRetry((signal) -> retrying(signal.failure(), (int) signal.totalRetries() + 1))
				.onRetryExhaustedThrow((spec, signal) -> signal.failure());
		}

		private boolean mayRetry(Throwable failure) {
			this.failures.add(failure);
			countRetry(false);
			return !this.emitted && elapsed().compareTo(CommandRetrier.this.settings.getBudget()) < 0
					&& CommandRetrier.this.rules.mayRetry(this.command.kind(), Failure.of(failure));
		}

		private void retrying(Throwable failure, int retry) {
			Failure classified = Failure.of(failure);
			this.retrying = classified;
			logRetry(this.command, classified, retry, failure);
		}

		void emitted() {
			this.emitted = true;
		}

		void succeeded() {
			countRetry(true);
		}

		Throwable failed(Throwable failure) {
			List<Throwable> all = new ArrayList<>(this.failures);
			if (all.isEmpty() || all.get(all.size() - 1) != failure) {
				all.add(failure);
			}
			return finalFailure(this.command, all, elapsed(), !this.emitted);
		}

		private void countRetry(boolean recovered) {
			Failure pending = this.retrying;
			if (pending != null) {
				this.retrying = null;
				CommandRetrier.this.metrics.retried(pending.reason(), recovered);
			}
		}

		private Duration elapsed() {
			return Duration.ofNanos(System.nanoTime() - this.started);
		}

	}

}
