package io.github.redisresilience.autoconfigure.topology;

import java.time.Instant;
import java.util.List;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A1;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.replica;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.view;
import static org.assertj.core.api.Assertions.assertThat;

class ViewOrderingTests {

	private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

	private final ViewOrdering ordering = new ViewOrdering();

	private final List<RedisClusterNode> before = view(master(A, "127.0.1.1:6379", 1, "0-8191"),
			master(B, "127.0.1.2:6379", 2, "8192-16383"), replica(A1, "127.0.1.3:6379", A, 1));

	private final List<RedisClusterNode> moved = view(master(A, "127.0.2.1:6379", 1, "0-8191"),
			master(B, "127.0.2.2:6379", 2, "8192-16383"), replica(A1, "127.0.2.3:6379", A, 1));

	@Test
	void newerReadIsApplied() {
		this.ordering.observe(this.before, NOW);
		long read = this.ordering.begin();
		assertThat(this.ordering.judge(read, this.before, this.moved, B, NOW)).isEqualTo(ViewOrdering.Verdict.APPLY);
	}

	@Test
	void readStartedBeforeTheLastAppliedReadIsDropped() {
		long slow = this.ordering.begin();
		long fast = this.ordering.begin();
		this.ordering.applied(fast, this.moved.get(1));
		assertThat(this.ordering.judge(slow, this.moved, this.before, B, NOW))
			.isEqualTo(ViewOrdering.Verdict.OLDER_READ);
	}

	@Test
	void readPuttingANodeBackOnAnAddressItLeftIsRefused() {
		this.ordering.observe(this.before, NOW);
		this.ordering.observe(this.moved, NOW);
		long read = this.ordering.begin();
		assertThat(this.ordering.judge(read, this.moved, this.before, B, NOW.plusSeconds(1)))
			.isEqualTo(ViewOrdering.Verdict.ADDRESS_LEFT);
	}

	@Test
	void nodeItselfMayConfirmAnAddressItHadLeft() {
		List<RedisClusterNode> back = view(master(A, "127.0.2.1:6379", 1, "0-8191"),
				master(B, "127.0.1.2:6379", 2, "8192-16383", "myself"), replica(A1, "127.0.2.3:6379", A, 1));
		this.ordering.observe(this.before, NOW);
		this.ordering.observe(this.moved, NOW);
		long read = this.ordering.begin();
		assertThat(this.ordering.judge(read, this.moved, back, B, NOW)).isEqualTo(ViewOrdering.Verdict.APPLY);
		this.ordering.applied(read, back.get(1));
		assertThat(this.ordering.observe(back, NOW)).isEmpty();
	}

	@Test
	void addressLeftIsForgottenAfterAWhile() {
		this.ordering.observe(this.before, NOW);
		this.ordering.observe(this.moved, NOW);
		long read = this.ordering.begin();
		Instant later = NOW.plus(ViewOrdering.ADDRESS_MEMORY).plusSeconds(1);
		assertThat(this.ordering.judge(read, this.moved, this.before, B, later)).isEqualTo(ViewOrdering.Verdict.APPLY);
	}

	@Test
	void remembersNoMoreThanItsClusterHoldsThroughEndlessMovesAndReplacedPods() {
		this.ordering.observe(this.before, NOW);
		Instant now = NOW;
		for (int i = 0; i < Promotions.MAX_NODES + 10; i++) {
			// A pod replaced with a new node ID, and every pod moved, again and again.
			now = now.plus(ViewOrdering.ADDRESS_MEMORY);
			String octet = "127.1." + (i / 250) + "." + (i % 250 + 1);
			this.ordering.observe(view(master(A, octet + ":6379", 1, "0-8191"), master(B, octet + ":6380", 2, "8192-16383"),
					replica(String.format("%040d", i), octet + ":6381", A, 1)), now);
		}
		assertThat(this.ordering.remembered()).isLessThanOrEqualTo(Promotions.MAX_NODES + 1 + 3);
	}

	@Test
	void readGivingSlotsBackToAMasterWithAnOlderEpochIsRefused() {
		List<RedisClusterNode> promoted = view(replica(A, "127.0.1.1:6379", A1, 3),
				master(B, "127.0.1.2:6379", 2, "8192-16383"), master(A1, "127.0.1.3:6379", 3, "0-8191"));
		long read = this.ordering.begin();
		assertThat(this.ordering.judge(read, promoted, this.before, B, NOW))
			.isEqualTo(ViewOrdering.Verdict.OLDER_EPOCH);
	}

	@Test
	void promotionWithANewerEpochIsApplied() {
		List<RedisClusterNode> promoted = view(replica(A, "127.0.1.1:6379", A1, 3),
				master(B, "127.0.1.2:6379", 2, "8192-16383"), master(A1, "127.0.1.3:6379", 3, "0-8191"));
		long read = this.ordering.begin();
		assertThat(this.ordering.judge(read, this.before, promoted, A1, NOW)).isEqualTo(ViewOrdering.Verdict.APPLY);
	}

	@Test
	void fullRefreshPuttingNodesBackOnAddressesTheyLeftIsARegression() {
		this.ordering.observe(this.before, NOW);
		this.ordering.observe(this.moved, NOW);
		assertThat(this.ordering.observe(this.before, NOW.plusSeconds(1))).containsExactlyInAnyOrder(A, B, A1);
		assertThat(this.ordering.observe(this.moved, NOW.plusSeconds(2))).isEmpty();
	}

	@Test
	void moveToANewAddressIsNoRegression() {
		this.ordering.observe(this.before, NOW);
		assertThat(this.ordering.observe(this.moved, NOW)).isEmpty();
	}

}
