package io.github.redisresilience.autoconfigure.topology;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.topology.HeldConnectionReadsIT.AnsweredCommands;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Reads over a held connection, against a real cluster: what happens to a read the reader gave up
 * on, counted by the client as the answers it received.
 */
@WithLocalRedisCluster(shared = false)
class TopologyReaderIT {

	private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

	static LocalRedisCluster cluster;

	private final AnsweredCommands answers = new AnsweredCommands();

	private ClientResources resources;

	private RedisClusterClient client;

	private TopologyReader reader;

	@BeforeEach
	void createReader() {
		String seed = cluster.seedNodes().split(",")[0];
		// The JDK's resolver reads the kit's names; reconnects every 100 ms, so that the node's
		// connection is back as soon as the node is, not after Lettuce's growing backoff.
		this.resources = ClientResources.builder()
			.addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
			.reconnectDelay(Delay.constant(Duration.ofMillis(100)))
			.commandLatencyRecorder(this.answers)
			.build();
		this.client = RedisClusterClient.create(this.resources, RedisURI.create("redis://" + seed));
		this.reader = new TopologyReader(READ_TIMEOUT);
	}

	@AfterEach
	void close() {
		this.reader.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		this.resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

	/**
	 * A read of a node that is down waits in Lettuce's buffer while the node's connection
	 * reconnects. Given up on after the read timeout, it must not be sent once the node is back:
	 * after a mass move every read given up on would reach the cluster at once, long after the
	 * watcher read the view elsewhere.
	 */
	@Test
	void aReadGivenUpOnIsNeverSentOnceTheNodeIsBack() throws Exception {
		// A replica: down for seconds, it costs no failover.
		RedisPod replica = cluster.replicas().get(0);
		RedisClusterNode node = this.client.getPartitions().getPartitionByNodeId(replica.nodeId());
		assertThat(node).as("the replica in the client's view").isNotNull();
		Set<InetAddress> replicaAddress = Set.of(replica.address().getAddress());
		// The node's connection is opened and answers.
		assertThat(read(node)).isNotEmpty();
		long from = System.nanoTime();
		cluster.stop(replica);
		CompletableFuture<List<RedisClusterNode>> givenUp = this.reader.read(this.client, node.getNodeId(), node.getUri());
		assertThatExceptionOfType(Exception.class).as("the read of the stopped node")
			.isThrownBy(() -> givenUp.get(READ_TIMEOUT.multipliedBy(10).toMillis(), TimeUnit.MILLISECONDS));
		cluster.restart(replica);
		// Every read until one answers is given up on in turn; the one that answers is counted.
		await("a read the restarted node answers").atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> !read(node).isEmpty());
		// Anything Lettuce still held was written before the answered read, on the same connection,
		// and answered before it: once that one is counted, so is every late one.
		await("the answered read counted").atMost(Duration.ofSeconds(2))
			.until(() -> this.answers.topologyReads(from, from + TimeUnit.HOURS.toNanos(1), replicaAddress) >= 1);
		assertThat(this.answers.topologyReads(from, from + TimeUnit.HOURS.toNanos(1), replicaAddress))
			.as("topology reads the restarted node answered: only the last read, none given up on")
			.isEqualTo(1);
	}

	private List<RedisClusterNode> read(RedisClusterNode node) throws Exception {
		return this.reader.read(this.client, node.getNodeId(), node.getUri())
			.get(READ_TIMEOUT.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS);
	}

}
