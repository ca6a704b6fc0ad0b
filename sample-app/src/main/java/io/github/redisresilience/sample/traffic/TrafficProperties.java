package io.github.redisresilience.sample.traffic;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the built-in traffic generator.
 */
@ConfigurationProperties("sample.traffic")
public class TrafficProperties {

	/** Whether the application exercises the cluster by itself, continuously. */
	private boolean enabled;

	/** Number of threads, each running one operation at a time. */
	private int threads = 4;

	/** How often each thread starts an operation (SET and GET of a unique key, then INCR). */
	private Duration pace = Duration.ofMillis(50);

	/** How long the per-second record is kept, for the status page's chart. */
	private Duration history = Duration.ofMinutes(10);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getThreads() {
		return this.threads;
	}

	public void setThreads(int threads) {
		this.threads = threads;
	}

	public Duration getPace() {
		return this.pace;
	}

	public void setPace(Duration pace) {
		this.pace = pace;
	}

	public Duration getHistory() {
		return this.history;
	}

	public void setHistory(Duration history) {
		this.history = history;
	}

	/**
	 * The operations per second the generator aims at: each thread starts one every pace.
	 * @return the nominal rate
	 */
	public double nominalRate() {
		return this.threads * (1000.0 / Math.max(1, this.pace.toMillis()));
	}

}
