package io.github.redisresilience.autoconfigure.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.WithLocalRedisCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The Lettuce options the starter sets for a cluster that changes shape: membership validation
 * off ({@code redis.resilience.topology.validate-membership}), the adaptive refresh triggers
 * ({@code refresh.adaptive-triggers}) and the closing of stale connections
 * ({@code refresh.close-stale-connections}). Each test has a negative control with the option
 * switched, on the same cluster, asserting what the option prevents. The cluster scales out (a
 * master added, a slot migrated to it) or in (that master drained and removed), as an operator
 * does with {@code redis-cli --cluster}.
 */
@WithLocalRedisCluster(shared = false, replicasPerMaster = 0)
class TopologyOptionsIT {

	private static final Duration LIMIT = Duration.ofSeconds(30);

	/**
	 * No read of the client's own until the option under test acts: Lettuce's periodic refresh
	 * every hour instead of the starter's reads, whose first one after the start comes at a random
	 * point of the period and could learn the new master before the test has the client meet it.
	 */
	private static final List<String> NO_READS_OF_ITS_OWN = List.of(
			"redis.resilience.topology.refresh.held-connection-reads=false",
			"redis.resilience.topology.refresh.period=1h");

	/** A failure reaches the test instead of being retried until the view knows the new master. */
	private static final String NO_RETRY = "redis.resilience.retry.enabled=false";

	static LocalRedisCluster cluster;

	private ConfigurableApplicationContext context;

	private Disposable subscription;

	private final List<RedisPod> added = new ArrayList<>();

	private final List<Reconnect> reconnects = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopApplicationAndScaleBackIn() {
		if (this.subscription != null) {
			this.subscription.dispose();
		}
		if (this.context != null) {
			this.context.close();
		}
		for (RedisPod pod : this.added) {
			if (pod.isRunning()) {
				cluster.removeMaster(pod);
			}
		}
	}

	/**
	 * A slot migrated to a master the client has never seen: the command's {@code MOVED} leads to
	 * it, and the client connects to it at once, with its view still the old one.
	 */
	@Test
	void aMovedToAMasterTheViewDoesNotKnowYetIsFollowed() {
		startApplication(NO_READS_OF_ITS_OWN, NO_RETRY);
		NewOwner owner = migrateASlotToANewMaster();
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);

		redis.opsForValue().set(owner.key(), "v");

		assertThat(redis.opsForValue().get(owner.key())).isEqualTo("v");
		report("validation off: the write followed MOVED to the new master " + owner.master().name());
	}

	/**
	 * The negative control of the test above: with membership validated (Lettuce's default),
	 * Lettuce refuses to follow {@code MOVED} to a node its view does not list, and the command
	 * fails, as commands to a pod's new address would right after a move.
	 */
	@Test
	void controlWithMembershipValidatedAMovedToAMasterTheViewDoesNotKnowFails() {
		startApplication(NO_READS_OF_ITS_OWN, NO_RETRY, "redis.resilience.topology.validate-membership=true");
		NewOwner owner = migrateASlotToANewMaster();
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);

		Throwable failure = catchThrowable(() -> redis.opsForValue().set(owner.key(), "v"));

		assertThat(failure).as("the write").isNotNull();
		assertThat(causes(failure)).contains("not known in the cluster view");
		report("validation on: the write failed: " + causes(failure));
	}

	/**
	 * A {@code MOVED} is a sign that the view is out of date: the client reads the topology again
	 * within seconds and routes the slot to its new owner, instead of paying a redirect on every
	 * command to it.
	 */
	@Test
	void aMovedMakesTheClientReadTheNewOwnerWithinSeconds() {
		startApplication(NO_READS_OF_ITS_OWN);
		NewOwner owner = migrateASlotToANewMaster();
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		Instant moved = Instant.now();

		redis.opsForValue().set(owner.key(), "v");

		await("the slot routed to its new owner").atMost(Duration.ofSeconds(5))
			.until(() -> owner.master().nodeId().equals(ownerInView(owner.slot())));
		report("triggers on: the slot was routed to its new owner "
				+ Duration.between(moved, Instant.now()).toMillis() + " ms after the MOVED");
	}

	/**
	 * The negative control of the test above: without adaptive triggers, the {@code MOVED} is
	 * followed but the view keeps the old owner until the next periodic read, so every command
	 * to the slot goes to the old owner first.
	 */
	@Test
	void controlWithoutAdaptiveTriggersTheViewKeepsTheOldOwnerAfterAMoved() {
		startApplication(NO_READS_OF_ITS_OWN, "redis.resilience.topology.refresh.adaptive-triggers=");
		NewOwner owner = migrateASlotToANewMaster();
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);

		redis.opsForValue().set(owner.key(), "v");

		await("the view keeps the old owner").during(Duration.ofSeconds(8))
			.atMost(Duration.ofSeconds(9))
			.until(() -> owner.previousOwner().nodeId().equals(ownerInView(owner.slot())));
		report("triggers off: the slot still routed to its old owner 8 s after the MOVED");
	}

	/**
	 * A master removed from the cluster (drained, forgotten by every node, its pod stopped): once
	 * the client's view no longer lists it, Lettuce closes its connection to it as stale, and no
	 * reconnect to it fails any more.
	 */
	@Test
	void aRemovedMasterIsNoLongerDialledOnceTheViewDropsIt() {
		RemovedMaster removed = removeAMasterTheClientUses();
		Instant from = removed.leftView().plusSeconds(1);
		await("no failed reconnect to the removed master").during(Duration.ofSeconds(6))
			.atMost(Duration.ofSeconds(7))
			.until(() -> reconnectsTo(removed.address(), from) == 0);
		report("close-stale on: " + reconnectsTo(removed.address(), Instant.MIN)
				+ " failed reconnects to the removed master in all, none after it left the view");
	}

	/**
	 * The negative control of the test above: without closing stale connections, the connection
	 * to the removed master stays in Lettuce's pool after the view dropped it, and Lettuce keeps
	 * reconnecting to an address where nothing will answer again.
	 */
	@Test
	void controlWithoutClosingStaleConnectionsARemovedMasterIsDialledForEver() {
		RemovedMaster removed = removeAMasterTheClientUses("redis.resilience.topology.refresh.close-stale-connections=false");
		Instant from = removed.leftView().plusSeconds(1);
		// The backoff is at most 1 s: several refused attempts within 6 s.
		await("failed reconnects to the removed master").atMost(Duration.ofSeconds(6))
			.until(() -> reconnectsTo(removed.address(), from) >= 3);
		report("close-stale off: " + reconnectsTo(removed.address(), from)
				+ " failed reconnects to the removed master since it left the view");
	}

	/** Adds a master and migrates one slot to it; the client's view knows neither. */
	private NewOwner migrateASlotToANewMaster() {
		// Which slot moves is the kit's choice: the owners before tell where it came from.
		Map<Integer, RedisPod> ownerOf = new HashMap<>();
		for (RedisPod owner : cluster.masters()) {
			cluster.slotsOf(owner).forEach((slot) -> ownerOf.put(slot, owner));
		}
		RedisPod master = cluster.addMaster();
		this.added.add(master);
		cluster.migrateSlots(master, 1);
		int slot = cluster.slotsOf(master).get(0);
		RedisPod previousOwner = ownerOf.get(slot);
		assertThat(client().getPartitions().getPartitionByNodeId(master.nodeId())).as("the new master in the client's view")
			.isNull();
		return new NewOwner(master, previousOwner, slot, keyIn(slot));
	}

	/** Scales out, has the client write to the new master, then removes that master again. */
	private RemovedMaster removeAMasterTheClientUses(String... properties) {
		startApplication(List.of(), properties);
		RedisPod master = cluster.addMaster();
		this.added.add(master);
		cluster.migrateSlots(master, 1);
		int slot = cluster.slotsOf(master).get(0);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		// The application's connection to the new master is open: the MOVED led there.
		redis.opsForValue().set(keyIn(slot), "v");
		RedisClusterClient client = client();
		await("the new master in the view").atMost(LIMIT)
			.until(() -> client.getPartitions().getPartitionByNodeId(master.nodeId()) != null);
		this.subscription = client.getResources().eventBus().get().subscribe((event) -> {
			if (event instanceof ReconnectFailedEvent failed) {
				this.reconnects.add(new Reconnect(Instant.now(), hostAndPort(failed.remoteAddress())));
			}
		});
		String address = master.address().getAddress().getHostAddress() + ":" + master.address().getPort();
		cluster.removeMaster(master);
		await("the removed master leaves the view").atMost(LIMIT)
			.until(() -> client.getPartitions().getPartitionByNodeId(master.nodeId()) == null);
		return new RemovedMaster(address, Instant.now());
	}

	private long reconnectsTo(String address, Instant from) {
		return this.reconnects.stream()
			.filter((reconnect) -> reconnect.at().isAfter(from) && reconnect.remoteAddress().equals(address))
			.count();
	}

	private String ownerInView(int slot) {
		RedisClusterNode node = client().getPartitions().getPartitionBySlot(slot);
		return (node != null) ? node.getNodeId() : null;
	}

	private static String keyIn(int slot) {
		for (int i = 0; i < 1_000_000; i++) {
			String key = "topology-options:" + i;
			if (SlotHash.getSlot(key) == slot) {
				return key;
			}
		}
		throw new IllegalStateException("No key found for slot " + slot);
	}

	private static String causes(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append("; ");
		}
		return messages.toString();
	}

	/** Lettuce reports the address it dialled unresolved, as the IP the node announced. */
	private static String hostAndPort(SocketAddress address) {
		if (address instanceof InetSocketAddress inet) {
			return inet.getHostString() + ":" + inet.getPort();
		}
		return String.valueOf(address);
	}

	private RedisClusterClient client() {
		RedisClusterClient client = this.context.getBean(TopologyWatcher.class).clusterClient();
		assertThat(client).as("the application's cluster client").isNotNull();
		return client;
	}

	private void startApplication(List<String> settings, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.data.redis.cluster.nodes=" + cluster.seedNodes(),
				// The kit's names live in the JVM's hosts file, which only the JDK resolver reads.
				"redis.resilience.dns.resolver=jdk"));
		all.addAll(settings);
		all.addAll(List.of(properties));
		this.context = new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	private static void report(String line) {
		System.out.println("[topology-options] " + line);
	}

	record NewOwner(RedisPod master, RedisPod previousOwner, int slot, String key) {

	}

	record RemovedMaster(String address, Instant leftView) {

	}

	record Reconnect(Instant at, String remoteAddress) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
