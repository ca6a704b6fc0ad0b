package io.github.redisresilience.sample.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.internal.HostAndPort;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.topology.NodeAddressChangedEvent;
import io.github.redisresilience.autoconfigure.topology.TopologyRefresh;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;
import io.github.redisresilience.sample.traffic.TrafficProperties;
import io.github.redisresilience.sample.traffic.TrafficRecorder;

/**
 * The status page's data, from the starter's beans and the traffic record only: the topology
 * as this application's client sees it, the address changes the starter noticed, and the
 * operations of the last minutes.
 */
@RestController
class StatusController {

	/** Seconds of traffic the page's chart shows. */
	private static final int CHART_SECONDS = 120;

	private final ObjectProvider<TopologyWatcher> watcher;

	private final ObjectProvider<AddressRemapper> remapper;

	private final TrafficRecorder traffic;

	private final TrafficProperties trafficProperties;

	private final boolean chaosEnabled;

	StatusController(ObjectProvider<TopologyWatcher> watcher, ObjectProvider<AddressRemapper> remapper,
			TrafficRecorder traffic, TrafficProperties trafficProperties, Environment environment) {
		this.watcher = watcher;
		this.remapper = remapper;
		this.traffic = traffic;
		this.trafficProperties = trafficProperties;
		this.chaosEnabled = environment.getProperty("sample.chaos.enabled", Boolean.class, false);
	}

	@GetMapping("/status")
	Status status() {
		TopologyWatcher topology = this.watcher.getIfAvailable();
		RedisClusterClient client = (topology != null) ? topology.clusterClient() : null;
		return new Status(Instant.now().toEpochMilli(), topology != null, (topology != null) && topology.isDegraded(),
				(topology != null) ? refresh(topology.lastRefresh().orElse(null)) : null,
				(client != null) ? nodes(client) : List.of(),
				(topology != null) ? changes(topology.recentAddressChanges()) : List.of(), traffic(),
				this.chaosEnabled);
	}

	private @Nullable Refresh refresh(@Nullable TopologyRefresh refresh) {
		if (refresh == null) {
			return null;
		}
		return new Refresh(refresh.startedAt().toEpochMilli(), refresh.took().toMillis(), refresh.trigger(),
				refresh.error());
	}

	private List<Node> nodes(RedisClusterClient client) {
		List<RedisClusterNode> all = new ArrayList<>();
		client.getPartitions().forEach(all::add);
		List<RedisClusterNode> masters = all.stream()
			.filter((node) -> node.getRole().isUpstream())
			.sorted(Comparator.comparingInt(StatusController::firstSlot))
			.toList();
		// Each master followed by its replicas, as an operator reads a cluster.
		List<RedisClusterNode> ordered = new ArrayList<>();
		for (RedisClusterNode master : masters) {
			ordered.add(master);
			all.stream().filter((node) -> master.getNodeId().equals(node.getSlaveOf())).forEach(ordered::add);
		}
		all.stream().filter((node) -> !ordered.contains(node)).forEach(ordered::add);
		return ordered.stream().map(this::node).toList();
	}

	private Node node(RedisClusterNode node) {
		RedisURI uri = node.getUri();
		String announced = (uri != null) ? uri.getHost() + ":" + uri.getPort() : "?";
		String dialled = (uri != null) ? dialled(HostAndPort.of(uri.getHost(), uri.getPort())) : "?";
		Set<String> flags = new TreeSet<>();
		node.getFlags().forEach((flag) -> flags.add(flag.name().toLowerCase(Locale.ROOT)));
		return new Node(node.getNodeId(), node.getRole().isUpstream() ? "master" : "replica", announced, dialled,
				SlotRanges.describe(node.getSlots()), node.getSlots().size(), List.copyOf(flags), node.getSlaveOf());
	}

	private String dialled(HostAndPort announced) {
		AddressRemapper addressRemapper = this.remapper.getIfAvailable();
		HostAndPort target = (addressRemapper != null) ? addressRemapper.map(announced) : announced;
		return target.getHostText() + ":" + target.getPort();
	}

	private static int firstSlot(RedisClusterNode node) {
		return node.getSlots().stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
	}

	private static List<Change> changes(List<NodeAddressChangedEvent> events) {
		List<Change> changes = new ArrayList<>(events.size());
		for (int i = events.size() - 1; i >= 0; i--) {
			NodeAddressChangedEvent event = events.get(i);
			changes.add(new Change(event.nodeId(), event.previousAddress(), event.currentAddress(),
					event.detectedAt().toEpochMilli()));
		}
		return changes;
	}

	private Traffic traffic() {
		TrafficRecorder.Totals total = this.traffic.total();
		Instant lastErrorAt = this.traffic.lastErrorAt();
		return new Traffic(this.trafficProperties.isEnabled(), this.trafficProperties.getThreads(),
				this.trafficProperties.getPace().toMillis(), this.trafficProperties.nominalRate(), total.operations(),
				total.failures(), this.traffic.lastError(), (lastErrorAt != null) ? lastErrorAt.toEpochMilli() : null,
				this.traffic.lastSeconds(CHART_SECONDS));
	}

	record Status(long now, boolean starterActive, boolean degraded, @Nullable Refresh lastRefresh, List<Node> nodes,
			List<Change> addressChanges, Traffic traffic, boolean chaosEnabled) {
	}

	record Refresh(long startedAt, long tookMillis, String trigger, @Nullable String error) {
	}

	record Node(String nodeId, String role, String announced, String dialled, String slots, int slotCount,
			List<String> flags, @Nullable String masterId) {
	}

	record Change(String nodeId, String from, String to, long detectedAt) {
	}

	record Traffic(boolean enabled, int threads, long paceMillis, double nominalRate, long operations, long failures,
			@Nullable String lastError, @Nullable Long lastErrorAt, List<TrafficRecorder.Second> seconds) {
	}

}
