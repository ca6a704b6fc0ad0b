package io.github.redisresilience.autoconfigure.topology;

import java.util.List;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A1;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.C;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.replica;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.view;
import static org.assertj.core.api.Assertions.assertThat;

class ViewComparisonTests {

	private final List<RedisClusterNode> current = view(master(A, "127.0.1.1:6379", 1, "0-8191", "myself"),
			master(B, "127.0.1.2:6379", 2, "8192-16383"), replica(A1, "127.0.1.3:6379", A, 1));

	@Test
	void sameViewReadFromAnotherNodeIsUnchanged() {
		List<RedisClusterNode> read = view(master(A, "127.0.1.1:6379", 1, "0-8191"),
				master(B, "127.0.1.2:6379", 2, "8192-16383", "myself"), replica(A1, "127.0.1.3:6379", A, 1));
		assertThat(ViewComparison.compare(this.current, read).isEmpty()).isTrue();
	}

	@Test
	void flagsAndEpochsAloneAreNoChange() {
		List<RedisClusterNode> read = view(master(A, "127.0.1.1:6379", 7, "0-8191", "fail?"),
				master(B, "127.0.1.2:6379", 9, "8192-16383"), replica(A1, "127.0.1.3:6379", A, 7));
		assertThat(ViewComparison.compare(this.current, read).isEmpty()).isTrue();
	}

	@Test
	void nodeAtAnotherAddressHasMoved() {
		List<RedisClusterNode> read = view(master(A, "127.0.2.1:6379", 1, "0-8191"),
				master(B, "127.0.1.2:6379", 2, "8192-16383"), replica(A1, "127.0.1.3:6379", A, 1));
		ViewComparison.ViewChanges changes = ViewComparison.compare(this.current, read);
		assertThat(changes.moved()).containsExactly(A);
		assertThat(changes.roles()).isEmpty();
		assertThat(changes.slots()).isEmpty();
	}

	@Test
	void promotedReplicaChangesRolesAndSlots() {
		List<RedisClusterNode> read = view(replica(A, "127.0.1.1:6379", A1, 3),
				master(B, "127.0.1.2:6379", 2, "8192-16383"), master(A1, "127.0.1.3:6379", 3, "0-8191"));
		ViewComparison.ViewChanges changes = ViewComparison.compare(this.current, read);
		assertThat(changes.roles()).containsExactlyInAnyOrder(A, A1);
		assertThat(changes.slots()).containsExactlyInAnyOrder(A, A1);
		assertThat(changes.moved()).isEmpty();
	}

	@Test
	void nodesAddedAndRemovedAreChanges() {
		List<RedisClusterNode> read = view(master(A, "127.0.1.1:6379", 1, "0-8191"),
				master(B, "127.0.1.2:6379", 2, "8192-16383"), replica(C, "127.0.1.4:6379", B, 2));
		ViewComparison.ViewChanges changes = ViewComparison.compare(this.current, read);
		assertThat(changes.added()).containsExactly(C);
		assertThat(changes.removed()).containsExactly(A1);
	}

	@Test
	void replicaFollowingAnotherMasterIsARoleChange() {
		List<RedisClusterNode> read = view(master(A, "127.0.1.1:6379", 1, "0-8191"),
				master(B, "127.0.1.2:6379", 2, "8192-16383"), replica(A1, "127.0.1.3:6379", B, 2));
		assertThat(ViewComparison.compare(this.current, read).roles()).containsExactly(A1);
	}

	@Test
	void slotsMigratedBetweenMastersAreChanges() {
		List<RedisClusterNode> read = view(master(A, "127.0.1.1:6379", 1, "0-8190"),
				master(B, "127.0.1.2:6379", 3, "8191-16383"), replica(A1, "127.0.1.3:6379", A, 1));
		assertThat(ViewComparison.compare(this.current, read).slots()).containsExactlyInAnyOrder(A, B);
	}

}
