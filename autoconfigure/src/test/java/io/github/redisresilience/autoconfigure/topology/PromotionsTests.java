package io.github.redisresilience.autoconfigure.topology;

import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A1;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B1;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.replica;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.view;
import static org.assertj.core.api.Assertions.assertThat;

class PromotionsTests {

	private final Promotions promotions = new Promotions();

	@Test
	void firstLookSeesNoFailover() {
		assertThat(this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "0-8191"),
				master(A1, "10.0.0.3:6379", 3, "8192-16383")))).isEmpty();
	}

	@Test
	void replicaServingItsMastersSlotsIsAFailoverSeenOnce() {
		this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "0-8191"), replica(A1, "10.0.0.3:6379", A, 1),
				master(B, "10.0.0.2:6379", 2, "8192-16383")));

		assertThat(this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "", "fail"),
				master(A1, "10.0.0.3:6379", 3, "0-8191"), master(B, "10.0.0.2:6379", 2, "8192-16383"))))
			.containsExactly(new Promotions.Promotion(A1, "10.0.0.3:6379", A, 8192));
		assertThat(this.promotions.update(view(master(A1, "10.0.0.3:6379", 3, "0-8191"),
				master(B, "10.0.0.2:6379", 2, "8192-16383")))).isEmpty();
	}

	@Test
	void replicaMissingFromOneLookIsStillSeenPromoted() {
		this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "0-8191"), replica(A1, "10.0.0.3:6379", A, 1)));
		this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "0-8191")));

		assertThat(this.promotions.update(view(master(A1, "10.0.0.9:6379", 3, "0-8191"))))
			.extracting(Promotions.Promotion::nodeId)
			.containsExactly(A1);
	}

	@Test
	void olderViewShowingThePromotedNodeAsAReplicaAgainDoesNotRepeatTheFailover() {
		this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "0-8191"), replica(A1, "10.0.0.3:6379", A, 1)));
		assertThat(this.promotions.update(view(master(A1, "10.0.0.3:6379", 3, "0-8191")))).hasSize(1);

		this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "0-8191"), replica(A1, "10.0.0.3:6379", A, 1)));
		assertThat(this.promotions.update(view(master(A1, "10.0.0.3:6379", 3, "0-8191")))).isEmpty();
	}

	@Test
	void laterFailoverOfTheSameNodeIsSeenAgain() {
		this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "0-8191"), replica(A1, "10.0.0.3:6379", A, 1)));
		this.promotions.update(view(master(A1, "10.0.0.3:6379", 3, "0-8191"), replica(A, "10.0.0.1:6379", A1, 3)));
		this.promotions.update(view(master(A, "10.0.0.1:6379", 4, "0-8191"), replica(A1, "10.0.0.3:6379", A, 4)));

		assertThat(this.promotions.update(view(master(A1, "10.0.0.3:6379", 5, "0-8191"))))
			.extracting(Promotions.Promotion::nodeId)
			.containsExactly(A1);
	}

	@Test
	void newMasterWithoutSlotsIsNoFailover() {
		this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "0-16383"), replica(B1, "10.0.0.4:6379", A, 1)));

		assertThat(this.promotions.update(view(master(A, "10.0.0.1:6379", 1, "0-16383"),
				master(B1, "10.0.0.4:6379", 4, "")))).isEmpty();
	}

	@Test
	void describesThePromotionForTheLog() {
		assertThat(new Promotions.Promotion(A1, "10.0.0.3:6379", A, 8192).describe())
			.isEqualTo("Redis Cluster failover seen: replica " + A1 + " at 10.0.0.3:6379 (of " + A
					+ ") is now a master serving 8192 slots");
	}

}
