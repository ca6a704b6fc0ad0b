package io.github.redisresilience.autoconfigure.topology;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.topology.HeldConnectionReadsIT.ServerCounts;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed reads of one episode share one connection: after a mass move they would otherwise
 * cost a handshake each (counted on the servers: every connection a Lettuce client opens starts
 * with {@code HELLO}).
 */
@WithLocalRedisCluster(shared = false)
class SeedReaderIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	static LocalRedisCluster cluster;

	private ClientResources resources;

	private RedisClusterClient client;

	private SeedReader reader;

	private RedisURI settings;

	@BeforeEach
	void createReader() {
		List<HostAndPort> seeds = Arrays.stream(cluster.seedNodes().split(",")).map(HostAndPort::parse).toList();
		this.settings = RedisURI.create(seeds.get(0).getHostText(), seeds.get(0).getPort());
		// The JDK's resolver reads the kit's names (its hosts file), as the chaos tests' clients do.
		this.resources = ClientResources.builder().addressResolverGroup(DefaultAddressResolverGroup.INSTANCE).build();
		this.client = RedisClusterClient.create(this.resources, this.settings);
		this.reader = new SeedReader(seeds, TIMEOUT);
	}

	@AfterEach
	void close() {
		this.reader.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		this.resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

	@Test
	void readsOfOneEpisodeShareOneConnection() throws Exception {
		ServerCounts before = ServerCounts.read(cluster);
		for (int i = 0; i < 3; i++) {
			assertThat(read()).as("view of read " + i).hasSize(cluster.pods().size());
		}
		ServerCounts after = ServerCounts.read(cluster).minus(before);
		assertThat(after.clusterNodes()).as("topology reads").isEqualTo(3);
		assertThat(after.connections()).as("connections opened for them").isEqualTo(1);
		assertThat(this.reader.connectionsOpened()).isEqualTo(1);
	}

	@Test
	void aReleasedConnectionIsClosedAndTheNextEpisodeOpensAnother() throws Exception {
		read();
		this.reader.release();
		await("seed connection closed").atMost(TIMEOUT).until(() -> seedConnectionsOpen() == 0);
		read();
		assertThat(this.reader.connectionsOpened()).isEqualTo(2);
		assertThat(seedConnectionsOpen()).as("seed connections open").isEqualTo(1);
	}

	@Test
	void aConnectionTheServerDroppedIsReplacedOnTheNextRead() throws Exception {
		read();
		ServerCounts before = ServerCounts.read(cluster);
		killSeedConnections();
		await("the next read answers").atMost(TIMEOUT).ignoreExceptions().until(() -> read().size() == cluster.pods().size());
		assertThat(this.reader.connectionsOpened()).isEqualTo(2);
		// Not redialled in the background as well: one new connection, the one the read opened.
		assertThat(ServerCounts.read(cluster).minus(before).connections()).isEqualTo(1);
	}

	/**
	 * A seed slow to open its connection (a TLS handshake on a loaded host, a pod still starting)
	 * is waited for as a connection, not as an answer: given up after the answer's timeout, each
	 * read would open a new connection and none would ever answer.
	 */
	@Test
	void aConnectionSlowToOpenIsWaitedForNotReplaced() throws Exception {
		// A replica: frozen for seconds, it costs no failover.
		RedisPod seed = cluster.replicas().get(0);
		RedisURI seedUri = RedisURI.create(seed.address().getHostString(), seed.address().getPort());
		Duration answer = Duration.ofMillis(500);
		SeedReader slowSeedReader = new SeedReader(List.of(HostAndPort.of(seedUri.getHost(), seedUri.getPort())),
				answer);
		this.client.setOptions(ClusterClientOptions.builder()
			.socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
			.build());
		assertThat(SeedReader.connectionWait(this.client)).isEqualTo(Duration.ofSeconds(4));
		try {
			// Frozen, the kernel still accepts the connection; the handshake waits for the thaw.
			cluster.pause(seed);
			CompletableFuture<List<RedisClusterNode>> read;
			try {
				read = slowSeedReader.read(this.client, this.settings);
				await("the read still waiting, well past the answer's timeout").during(answer.multipliedBy(3))
					.atMost(answer.multipliedBy(4))
					.until(() -> !read.isDone());
			}
			finally {
				cluster.resume(seed);
			}
			assertThat(read.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("view once thawed")
				.hasSize(cluster.pods().size());
			assertThat(slowSeedReader.connectionsOpened()).isEqualTo(1);
		}
		finally {
			slowSeedReader.close();
		}
	}

	private List<RedisClusterNode> read() throws Exception {
		return this.reader.read(this.client, this.settings).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Connections whose last command was one the seed connection sends, on every node. */
	private long seedConnectionsOpen() {
		return eachNode((connection) -> connection.sync()
			.clientList()
			.lines()
			.filter((line) -> line.contains("cmd=cluster|nodes") || line.contains("cmd=hello")
					|| line.contains("cmd=cluster "))
			.count());
	}

	private void killSeedConnections() {
		eachNode((connection) -> {
			connection.sync()
				.clientList()
				.lines()
				.filter((line) -> line.contains("cmd=cluster|nodes") || line.contains("cmd=cluster "))
				.map((line) -> line.replaceAll(".*\\bid=(\\d+).*", "$1"))
				.forEach((id) -> connection.sync().clientKill(KillArgs.Builder.id(Long.parseLong(id))));
			return 0L;
		});
	}

	private static long eachNode(ToLongFunction<StatefulRedisConnection<String, String>> action) {
		RedisClient admin = RedisClient.create();
		// RESP2: the test's own connections send no HELLO, so the servers' HELLO count is the reader's.
		admin.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
		long sum = 0;
		try {
			for (RedisPod pod : cluster.pods()) {
				RedisURI uri = RedisURI.create(pod.address().getHostString(), pod.address().getPort());
				try (StatefulRedisConnection<String, String> connection = admin.connect(uri)) {
					sum += action.applyAsLong(connection);
				}
			}
		}
		finally {
			admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		return sum;
	}

}
