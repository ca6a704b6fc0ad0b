package io.github.redisresilience.autoconfigure.retry;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;

import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Configuration properties of the command retry that lets Redis operations ride through
 * node moves and failovers.
 * <p>
 * The defaults are chosen so that the common Kubernetes events fit in one operation: a
 * failover takes the cluster's {@code cluster-node-timeout} plus about a second, and a whole
 * node pool rescheduled at once leaves the local test cluster (node timeout 2s) unhealthy for
 * 2.5 to 4 seconds, a master kill for about 4. A budget of 10 seconds covers both with room for topology refresh,
 * while staying below the 30 second timeouts that HTTP clients and load balancers commonly
 * use, so a retried request still answers before its caller gives up. Backoff starts at 50ms
 * (a TRYAGAIN during a slot migration clears in milliseconds) and doubles up to half a second,
 * so once the cluster has healed an operation waits less than one more second (measured: at
 * most 1 s beyond the outage with a 1 s cap, hence the shorter one). The attempt limit of 30 is a
 * safety net against a tight loop; with these delays the budget is what ends a long outage.
 * <p>
 * The values are checked once bound; an invalid value fails the startup with an
 * {@link InvalidResilienceSettingException} that names the property and the fix.
 *
 * @see RedisResilienceRetryAutoConfiguration
 */
@ConfigurationProperties("redis.resilience.retry")
public class RedisResilienceRetryProperties implements InitializingBean {

	/**
	 * Whether to retry Redis commands that fail for a transient reason.
	 */
	private boolean enabled = true;

	/**
	 * Maximum number of attempts of one command, the first included; 1 disables retries.
	 */
	private int maxAttempts = 30;

	/**
	 * Delay before the first retry.
	 */
	private Duration initialBackoff = Duration.ofMillis(50);

	/**
	 * Factor by which the delay grows after each retry.
	 */
	private double multiplier = 2.0;

	/**
	 * Longest delay between two attempts.
	 */
	private Duration maxBackoff = Duration.ofMillis(500);

	/**
	 * Fraction of each delay, between 0 and 1, by which it is randomly varied so that clients
	 * do not retry in lockstep.
	 */
	private double jitter = 0.5;

	/**
	 * Total time from the first attempt after which no further attempt is started; an attempt
	 * in flight is still bounded by the command timeout.
	 */
	private Duration budget = Duration.ofSeconds(10);

	/**
	 * Which commands are retried after an ambiguous failure (a timeout or a connection lost
	 * after the command was sent), when Redis may have applied them.
	 */
	private AmbiguousFailureRetry ambiguous = AmbiguousFailureRetry.IDEMPOTENT_ONLY;

	/**
	 * Which commands Lettuce may send again after the connection they were sent on was lost
	 * before their reply: idempotent-only fails the others as ambiguous instead of risking
	 * applying them twice; all keeps Lettuce's at-least-once replay. Applies even when
	 * retries are disabled.
	 */
	private ReplayPolicy replay = ReplayPolicy.IDEMPOTENT_ONLY;

	/**
	 * Counter and append commands to run exactly once, such as INCR, INCRBY, HINCRBY: each
	 * call carries a token checked and stored by a Lua script in the key's hash slot, so it is
	 * retried after ambiguous failures and replayed without being applied twice. Costs a script
	 * call and one small key per call for exactly-once-ttl.
	 */
	private Set<ExactlyOnceCommand> exactlyOnce = new LinkedHashSet<>();

	/**
	 * How long the token of an exactly-once call is kept: longer than the retry budget plus
	 * the command timeout, so that no retry or replay of the call arrives after it expired.
	 */
	private Duration exactlyOnceTtl = Duration.ofSeconds(60);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Duration getInitialBackoff() {
		return this.initialBackoff;
	}

	public void setInitialBackoff(Duration initialBackoff) {
		this.initialBackoff = initialBackoff;
	}

	public double getMultiplier() {
		return this.multiplier;
	}

	public void setMultiplier(double multiplier) {
		this.multiplier = multiplier;
	}

	public Duration getMaxBackoff() {
		return this.maxBackoff;
	}

	public void setMaxBackoff(Duration maxBackoff) {
		this.maxBackoff = maxBackoff;
	}

	public double getJitter() {
		return this.jitter;
	}

	public void setJitter(double jitter) {
		this.jitter = jitter;
	}

	public Duration getBudget() {
		return this.budget;
	}

	public void setBudget(Duration budget) {
		this.budget = budget;
	}

	public AmbiguousFailureRetry getAmbiguous() {
		return this.ambiguous;
	}

	public void setAmbiguous(AmbiguousFailureRetry ambiguous) {
		this.ambiguous = ambiguous;
	}

	public Set<ExactlyOnceCommand> getExactlyOnce() {
		return this.exactlyOnce;
	}

	public void setExactlyOnce(Set<ExactlyOnceCommand> exactlyOnce) {
		this.exactlyOnce = exactlyOnce;
	}

	public Duration getExactlyOnceTtl() {
		return this.exactlyOnceTtl;
	}

	public void setExactlyOnceTtl(Duration exactlyOnceTtl) {
		this.exactlyOnceTtl = exactlyOnceTtl;
	}

	public ReplayPolicy getReplay() {
		return this.replay;
	}

	public void setReplay(ReplayPolicy replay) {
		this.replay = replay;
	}

	/**
	 * Checks the bound values, so that a retry that cannot work fails at startup rather than
	 * during the first outage.
	 * @throws InvalidResilienceSettingException if a value is out of range
	 */
	@Override
	public void afterPropertiesSet() {
		new RetrySettingsValidator(this).validate();
	}

}
