package io.github.redisresilience.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.jspecify.annotations.Nullable;

import io.github.redisresilience.test.workload.Workload;

/**
 * Reads every acknowledged write back after the heal through a client of its own, started after
 * the disruption so that it knows the healed topology: a client that never recovered cannot hide
 * its lost writes behind its own failures.
 */
final class LedgerCheck implements AutoCloseable {

	private static final int BATCH = 2000;

	private final ClientResources resources = DefaultClientResources.builder()
		.addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
		.build();

	/** The default user's password, {@code null} for a cluster without one. */
	private final @Nullable String password;

	/** Reads the ledger of a cluster without a password. */
	LedgerCheck() {
		this(null);
	}

	/**
	 * Reads the ledger of a cluster whose default user has a password.
	 * @param password the default user's password, {@code null} if it has none
	 */
	LedgerCheck(@Nullable String password) {
		this.password = password;
	}

	/**
	 * Reads a ledger back.
	 * @param seeds the cluster's seeds
	 * @param ledger every acknowledged key and the value written
	 * @param counters every operation's counter and its increment's outcome
	 * @return how many acknowledged writes were missing or different, and how many could not be
	 * read; how many acknowledged increments were lost, and how many applied twice
	 */
	Verdict check(String seeds, Map<String, String> ledger, List<Workload.Increment> counters) {
		return check(seeds, ledger, counters, null);
	}

	/**
	 * Reads a ledger back, over TLS if the cluster speaks TLS only.
	 * @param seeds the cluster's seeds
	 * @param ledger every acknowledged key and the value written
	 * @param counters every thread's counter and the increments it started
	 * @param tls how to trust the cluster, {@code null} for a plain cluster
	 * @return the verdict, as {@link #check(String, Map, List)}
	 */
	Verdict check(String seeds, Map<String, String> ledger, List<Workload.Increment> counters, @Nullable ClusterTls tls) {
		RedisURI uri = RedisURI.create(((tls != null) ? "rediss://" : "redis://") + seeds);
		uri.setTimeout(Duration.ofSeconds(5));
		if (this.password != null) {
			uri.setPassword(this.password.toCharArray());
		}
		RedisClusterClient client = RedisClusterClient.create(this.resources, uri);
		if (tls != null) {
			client.setOptions(ClusterClientOptions.builder()
				.sslOptions(SslOptions.builder().trustManager(tls.trustManagerFactory()).build())
				.build());
		}
		try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
			RedisAdvancedClusterAsyncCommands<String, String> async = connection.async();
			List<Map.Entry<String, String>> entries = new ArrayList<>(ledger.entrySet());
			long lost = 0;
			long unreadable = 0;
			for (int from = 0; from < entries.size(); from += BATCH) {
				List<Map.Entry<String, String>> batch = entries.subList(from, Math.min(entries.size(), from + BATCH));
				List<RedisFuture<String>> reads = batch.stream().map((entry) -> async.get(entry.getKey())).toList();
				awaitAll(reads, Duration.ofSeconds(30));
				for (int i = 0; i < batch.size(); i++) {
					String expected = batch.get(i).getValue();
					String read;
					try {
						read = readOnce(reads.get(i), connection, batch.get(i).getKey());
					}
					catch (RuntimeException ex) {
						unreadable++;
						continue;
					}
					if (!expected.equals(read)) {
						lost++;
					}
				}
			}
			return new Verdict(ledger.size(), lost, unreadable, checkCounters(connection, counters));
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	/**
	 * One counter per operation, incremented once: an acknowledged increment must have answered 1
	 * and read 1 (0 is lost, more is applied twice); a failed one may read 0 or 1 (more is applied
	 * twice). Nothing hides a double: it is never offset by a failed increment elsewhere.
	 */
	private static Increments checkCounters(StatefulRedisClusterConnection<String, String> connection,
			List<Workload.Increment> counters) {
		RedisAdvancedClusterAsyncCommands<String, String> async = connection.async();
		long acknowledged = 0;
		long unknown = 0;
		long lost = 0;
		long twice = 0;
		long unreadable = 0;
		for (int from = 0; from < counters.size(); from += BATCH) {
			List<Workload.Increment> batch = counters.subList(from, Math.min(counters.size(), from + BATCH));
			List<RedisFuture<String>> reads = batch.stream().map((counter) -> async.get(counter.key())).toList();
			awaitAll(reads, Duration.ofSeconds(30));
			for (int i = 0; i < batch.size(); i++) {
				Workload.Increment counter = batch.get(i);
				acknowledged += counter.acknowledged() ? 1 : 0;
				unknown += counter.acknowledged() ? 0 : 1;
				long value;
				try {
					String read = readOnce(reads.get(i), connection, counter.key());
					value = (read != null) ? Long.parseLong(read) : 0;
				}
				catch (RuntimeException ex) {
					unreadable++;
					continue;
				}
				lost += counter.isLost(value) ? 1 : 0;
				twice += counter.excess(value);
			}
		}
		return new Increments(acknowledged, unknown, lost, twice, unreadable);
	}

	/** Waits for every read to complete, failed or not; a failure is dealt with read by read. */
	private static void awaitAll(List<RedisFuture<String>> reads, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (RedisFuture<String> read : reads) {
			try {
				read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				// Read again, alone, in readOnce.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/** The batched read, or a single retry through the synchronous API if it failed or is not done. */
	private static String readOnce(RedisFuture<String> read, StatefulRedisClusterConnection<String, String> connection,
			String key) {
		if (read.isDone() && !read.toCompletableFuture().isCompletedExceptionally()) {
			return read.toCompletableFuture().join();
		}
		return connection.sync().get(key);
	}

	@Override
	public void close() {
		this.resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

	/**
	 * @param acknowledged writes the client acknowledged
	 * @param lost acknowledged writes missing or different when read back
	 * @param unreadable acknowledged writes that could not be read back at all
	 */
	record Verdict(long acknowledged, long lost, long unreadable, Increments increments) {

		/**
		 * What makes this ledger wrong: lost or unreadable writes, lost, doubled or unreadable
		 * increments.
		 * @return the problems, empty when the ledger is exact
		 */
		List<String> problems() {
			List<String> problems = new ArrayList<>();
			if (this.lost > 0) {
				problems.add(this.lost + " acknowledged writes lost");
			}
			if (this.unreadable > 0) {
				problems.add(this.unreadable + " acknowledged writes unreadable");
			}
			if (this.increments.lost() > 0) {
				problems.add(this.increments.lost() + " acknowledged INCR lost");
			}
			if (this.increments.twice() > 0) {
				problems.add(this.increments.twice() + " INCR applied twice");
			}
			if (this.increments.unreadable() > 0) {
				problems.add(this.increments.unreadable() + " counters unreadable");
			}
			return problems;
		}

	}

	/**
	 * @param acknowledged increments the client acknowledged, over every counter
	 * @param unknown increments that failed or never finished: applied or not
	 * @param lost acknowledged increments missing from the final values
	 * @param twice increments beyond the acknowledged and unknown ones: applied twice
	 * @param unreadable counters that could not be read back
	 */
	record Increments(long acknowledged, long unknown, long lost, long twice, long unreadable) {

		static final Increments NONE = new Increments(0, 0, 0, 0, 0);

	}

}
