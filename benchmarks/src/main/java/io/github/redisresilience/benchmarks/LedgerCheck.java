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
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.resolver.DefaultAddressResolverGroup;

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

	/**
	 * Reads a ledger back.
	 * @param seeds the cluster's seeds
	 * @param ledger every acknowledged key and the value written
	 * @return how many acknowledged writes were missing or different, and how many could not be read
	 */
	Verdict check(String seeds, Map<String, String> ledger) {
		RedisURI uri = RedisURI.create("redis://" + seeds);
		uri.setTimeout(Duration.ofSeconds(5));
		RedisClusterClient client = RedisClusterClient.create(this.resources, uri);
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
			return new Verdict(ledger.size(), lost, unreadable);
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
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
	record Verdict(long acknowledged, long lost, long unreadable) {

	}

}
