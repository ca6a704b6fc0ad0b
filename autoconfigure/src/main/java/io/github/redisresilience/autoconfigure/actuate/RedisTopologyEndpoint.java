package io.github.redisresilience.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.lettuce.core.cluster.RedisClusterClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import io.github.redisresilience.autoconfigure.RedisResilienceProperties;
import io.github.redisresilience.autoconfigure.retry.DeliveryPolicy;
import io.github.redisresilience.autoconfigure.topology.DeploymentShape;
import io.github.redisresilience.autoconfigure.topology.NodeAddressChangedEvent;
import io.github.redisresilience.autoconfigure.suspect.SuspectNode;
import io.github.redisresilience.autoconfigure.suspect.SuspectWatch;
import io.github.redisresilience.autoconfigure.topology.TopologyRefresh;
import io.github.redisresilience.autoconfigure.topology.TopologyWatcher;

/**
 * The {@code redistopology} endpoint: the Redis Cluster as the client sees it, every node with
 * the address it announces and the address the client dials, and a refresh on demand.
 * <p>
 * Reading is open once the endpoint is exposed; the refresh (a {@code POST}) also needs
 * {@code management.endpoint.redistopology.access=unrestricted}.
 * <p>
 * Longer than the starter's other classes because it holds the records of its answer, whose
 * Javadoc documents the endpoint's JSON.
 */
@Endpoint(id = "redistopology", defaultAccess = Access.READ_ONLY)
public class RedisTopologyEndpoint {

	private final ClusterProbe probe;

	private final TopologyWatcher watcher;

	private final SuspectWatch suspects;

	private final RedisResilienceProperties properties;

	private final Supplier<@Nullable Duration> springCommandTimeout;

	private final Duration refreshTimeout;

	private final Supplier<@Nullable DeliveryPolicy> deliveryPolicy;

	RedisTopologyEndpoint(ClusterProbe probe, TopologyWatcher watcher, SuspectWatch suspects,
			RedisResilienceProperties properties,
			Supplier<@Nullable Duration> springCommandTimeout, Duration refreshTimeout,
			Supplier<@Nullable DeliveryPolicy> deliveryPolicy) {
		this.probe = probe;
		this.watcher = watcher;
		this.suspects = suspects;
		this.properties = properties;
		this.springCommandTimeout = springCommandTimeout;
		this.refreshTimeout = refreshTimeout;
		this.deliveryPolicy = deliveryPolicy;
	}

	/**
	 * Probes every node the client knows and describes the topology, the settings in effect and
	 * the recent refreshes and address changes.
	 * @return the topology as the client sees it
	 */
	@ReadOperation
	public TopologyDescriptor topology() {
		ClusterSnapshot snapshot = this.probe.probe();
		Map<String, SuspectNode> suspects = this.suspects.all()
			.stream()
			.collect(Collectors.toMap(SuspectNode::nodeId, Function.identity(), (first, second) -> first));
		List<NodeDescriptor> nodes = snapshot.nodes()
			.stream()
			.map((probe) -> node(probe, suspects.get(probe.node().id())))
			.toList();
		SlotsDescriptor slots = new SlotsDescriptor(snapshot.coveredSlots().cardinality(),
				snapshot.uncoveredSlots().cardinality(), SlotRanges.of(snapshot.uncoveredSlots()));
		LastRefreshDescriptor lastRefresh = this.watcher.lastRefresh().map(LastRefreshDescriptor::of).orElse(null);
		List<AddressChangeDescriptor> changes = this.watcher.recentAddressChanges()
			.stream()
			.map(AddressChangeDescriptor::of)
			.toList();
		Map<String, Object> settings = EffectiveSettings.of(this.properties, this.springCommandTimeout.get(),
				this.watcher.clusterClient(), this.deliveryPolicy.get());
		String deploymentShape = this.watcher.deploymentShape().map(DeploymentShape::describe).orElse(null);
		return new TopologyDescriptor(snapshot.takenAt().toString(), snapshot.problem(), snapshot.everySlotServed(),
				RefreshDetails.degraded(this.watcher), deploymentShape, slots, nodes, snapshot.remapWarnings(),
				lastRefresh, changes, settings);
	}

	private static NodeDescriptor node(NodeProbe probe, @Nullable SuspectNode suspect) {
		NodeLayout node = probe.node();
		Long latency = (probe.latency() != null) ? probe.latency().toMillis() : null;
		SuspicionDescriptor suspicion = (suspect != null) ? SuspicionDescriptor.of(suspect) : null;
		return new NodeDescriptor(node.id(), node.role(), node.masterId(), node.slotRanges(), node.announced(),
				probe.dialled(), probe.dialledIps(), probe.reachable(), latency, probe.error(), node.flags(),
				suspect != null, suspicion);
	}

	/**
	 * Refreshes the topology now and reports what changed in the client's view.
	 * @return how the refresh ended, how long it took and what it changed
	 */
	@WriteOperation
	public RefreshDescriptor refresh() {
		RedisClusterClient client = this.watcher.clusterClient();
		if (client == null) {
			return new RefreshDescriptor("failure", "No Redis Cluster client is running", 0,
					TopologyDiff.between(List.of(), List.of()));
		}
		List<NodeLayout> before = layout(client);
		long started = System.nanoTime();
		String outcome = "success";
		String error = null;
		try {
			TopologyRefresh refresh = this.watcher.refreshNow()
				.get(this.refreshTimeout.toMillis(), TimeUnit.MILLISECONDS);
			outcome = RefreshDetails.outcome(refresh);
			error = Redaction.redact(refresh.error());
		}
		catch (TimeoutException ex) {
			outcome = "timeout";
			error = "the refresh did not finish within " + EffectiveSettings.format(this.refreshTimeout);
		}
		catch (ExecutionException ex) {
			outcome = "failure";
			error = Redaction.describe((ex.getCause() != null) ? ex.getCause() : ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			outcome = "failure";
			error = "interrupted";
		}
		long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		List<NodeLayout> after = layout(client);
		return new RefreshDescriptor(outcome, error, tookMillis, TopologyDiff.between(before, after));
	}

	private static List<NodeLayout> layout(RedisClusterClient client) {
		try {
			return NodeLayout.of(client.getPartitions());
		}
		catch (RuntimeException ex) {
			// The client never read a topology: everything the refresh finds counts as added.
			return List.of();
		}
	}

	/**
	 * The topology as the client sees it.
	 *
	 * @param takenAt when the nodes were probed
	 * @param problem why nothing could be probed, or {@code null}
	 * @param everySlotServed whether every slot is served by a master that answered
	 * @param degraded whether the starter is refreshing the topology at its degraded pace
	 * @param deploymentShape how the cluster is deployed (seeds, announced addresses), once a
	 * topology was read
	 * @param slots slot coverage by masters that answered
	 * @param nodes every node of the client's view
	 * @param remapWarnings remapped addresses several nodes share
	 * @param lastRefresh the last refresh the starter ran, or {@code null}
	 * @param recentAddressChanges the most recent nodes seen at new addresses, oldest first
	 * @param settings the resilience settings in effect, without secrets
	 */
	public record TopologyDescriptor(String takenAt, @Nullable String problem, boolean everySlotServed,
			boolean degraded, @Nullable String deploymentShape, SlotsDescriptor slots, List<NodeDescriptor> nodes,
			List<String> remapWarnings, @Nullable LastRefreshDescriptor lastRefresh,
			List<AddressChangeDescriptor> recentAddressChanges, Map<String, Object> settings)
			implements OperationResponseBody {

	}

	/**
	 * Slot coverage.
	 *
	 * @param covered number of slots served by a master that answered
	 * @param uncovered number of slots that are not
	 * @param uncoveredRanges the slots that are not, as ranges
	 */
	public record SlotsDescriptor(int covered, int uncovered, List<String> uncoveredRanges) {

	}

	/**
	 * One node as the client sees it.
	 *
	 * @param id the node ID
	 * @param role {@code master} or {@code replica}
	 * @param masterId a replica's master, or {@code null}
	 * @param slots the slot ranges the node serves
	 * @param announced the {@code host:port} the node announces
	 * @param dialled the {@code host:port} the client dials, after the remap rules
	 * @param dialledIps the IPs the dialled host resolves to (JDK resolver)
	 * @param reachable whether the node answered a PING within the probe timeout
	 * @param latencyMillis how long the PING took, or {@code null}
	 * @param error why the node is unreachable, or {@code null}
	 * @param flags the node's flags
	 * @param suspect whether the node is a suspect master: not answering while the topology still
	 * lists it as a master
	 * @param suspicion since when and why it is suspect, or {@code null}
	 */
	public record NodeDescriptor(String id, String role, @Nullable String masterId, List<String> slots,
			String announced, String dialled, List<String> dialledIps, boolean reachable,
			@Nullable Long latencyMillis, @Nullable String error, Set<String> flags, boolean suspect,
			@Nullable SuspicionDescriptor suspicion) {

	}

	/**
	 * Why a node is suspect.
	 *
	 * @param since when it was first suspected
	 * @param cause {@code unanswered-connection} or {@code probe-timeout}
	 * @param reason what was seen
	 */
	public record SuspicionDescriptor(String since, String cause, String reason) {

		static SuspicionDescriptor of(SuspectNode suspect) {
			return new SuspicionDescriptor(suspect.since().toString(), suspect.cause().tag(), suspect.reason());
		}

	}

	/**
	 * The last topology refresh the starter ran.
	 *
	 * @param startedAt when it began
	 * @param tookMillis how long it took
	 * @param trigger {@code degraded} or {@code on-demand}
	 * @param outcome {@code success} or {@code failure}
	 * @param error why it failed, or {@code null}
	 */
	public record LastRefreshDescriptor(String startedAt, long tookMillis, String trigger, String outcome,
			@Nullable String error) {

		static LastRefreshDescriptor of(TopologyRefresh refresh) {
			return new LastRefreshDescriptor(refresh.startedAt().toString(), refresh.took().toMillis(),
					refresh.trigger(), RefreshDetails.outcome(refresh), Redaction.redact(refresh.error()));
		}

	}

	/**
	 * A node the client saw at a new address.
	 *
	 * @param nodeId the node ID
	 * @param previousAddress where the client knew it before
	 * @param currentAddress where it knows it now
	 * @param detectedAt when the client first saw the new address
	 */
	public record AddressChangeDescriptor(String nodeId, String previousAddress, String currentAddress,
			String detectedAt) {

		static AddressChangeDescriptor of(NodeAddressChangedEvent event) {
			return new AddressChangeDescriptor(event.nodeId(), event.previousAddress(), event.currentAddress(),
					event.detectedAt().toString());
		}

	}

	/**
	 * The outcome of a refresh asked for through the endpoint.
	 *
	 * @param outcome {@code success}, {@code failure} or {@code timeout}
	 * @param error why it failed, or {@code null}
	 * @param tookMillis how long the endpoint waited for it
	 * @param changes what changed in the client's view meanwhile
	 */
	public record RefreshDescriptor(String outcome, @Nullable String error, long tookMillis,
			TopologyChangesDescriptor changes) implements OperationResponseBody {

	}

	/**
	 * What changed in the client's view of the topology.
	 *
	 * @param nodesAdded nodes that appeared
	 * @param nodesRemoved nodes that disappeared
	 * @param addressChanges nodes now at a different address
	 * @param roleChanges nodes promoted or demoted
	 * @param slotMoves slot ranges served by another master than before
	 */
	public record TopologyChangesDescriptor(List<NodeSummaryDescriptor> nodesAdded,
			List<NodeSummaryDescriptor> nodesRemoved, List<AddressMoveDescriptor> addressChanges,
			List<RoleChangeDescriptor> roleChanges, List<SlotMoveDescriptor> slotMoves) {

	}

	/**
	 * A node that appeared or disappeared.
	 *
	 * @param id the node ID
	 * @param role {@code master} or {@code replica}
	 * @param address its announced {@code host:port}
	 */
	public record NodeSummaryDescriptor(String id, String role, String address) {

	}

	/**
	 * A node at a new address.
	 *
	 * @param nodeId the node ID
	 * @param previousAddress its address before
	 * @param currentAddress its address now
	 */
	public record AddressMoveDescriptor(String nodeId, String previousAddress, String currentAddress) {

	}

	/**
	 * A node that changed role.
	 *
	 * @param nodeId the node ID
	 * @param previousRole its role before
	 * @param currentRole its role now
	 */
	public record RoleChangeDescriptor(String nodeId, String previousRole, String currentRole) {

	}

	/**
	 * Slots served by another master than before.
	 *
	 * @param slots the slot range
	 * @param previousMaster the node ID that served them, or {@code null} if none did
	 * @param currentMaster the node ID that serves them now, or {@code null} if none does
	 */
	public record SlotMoveDescriptor(String slots, @Nullable String previousMaster, @Nullable String currentMaster) {

	}

}
