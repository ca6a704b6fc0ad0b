package io.github.redisresilience.autoconfigure.topology;

import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A1;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B1;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.C;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.replica;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.view;
import static org.assertj.core.api.Assertions.assertThat;

class SourceChoiceTests {

	private final List<RedisClusterNode> view = view(master(A, "127.0.1.1:6379", 1, "0-8191"),
			master(B, "127.0.1.2:6379", 2, "8192-16383"), replica(A1, "127.0.1.3:6379", A, 1),
			replica(B1, "127.0.1.4:6379", B, 2), replica(C, "127.0.1.5:6379", A, 1));

	@Test
	void lastNodeThatAnsweredIsAskedAgain() {
		SourceChoice choice = new SourceChoice(7);
		assertThat(choice.next(this.view, Set.of(), Set.of(), B1)).isEqualTo(B1);
		assertThat(choice.next(this.view, Set.of(), Set.of(), B1)).isEqualTo(B1);
	}

	@Test
	void replicasOfASuspectMasterAreAskedInTurn() {
		SourceChoice choice = new SourceChoice(7);
		assertThat(List.of(choice.next(this.view, Set.of(A), Set.of(), B), choice.next(this.view, Set.of(A), Set.of(), B),
				choice.next(this.view, Set.of(A), Set.of(), B)))
			.containsExactly(A1, C, A1);
	}

	@Test
	void suspectAndRecentlyFailedNodesAreNotAsked() {
		SourceChoice choice = new SourceChoice(7);
		assertThat(choice.next(this.view, Set.of(B), Set.of(A, A1, C), B)).isEqualTo(B1);
	}

	@Test
	void failedNodesAreNotAsked() {
		List<RedisClusterNode> failed = view(master(A, "127.0.1.1:6379", 1, "0-8191", "fail"),
				master(B, "127.0.1.2:6379", 2, "8192-16383"));
		assertThat(new SourceChoice(7).next(failed, Set.of(), Set.of(B), null)).isNull();
	}

	@Test
	void clientsSpreadOverTheNodesWhenNoneAnsweredYet() {
		long distinct = java.util.stream.IntStream.range(0, 64)
			.mapToObj((salt) -> new SourceChoice(salt * 0x9E3779B9).next(this.view, Set.of(), Set.of(), null))
			.distinct()
			.count();
		assertThat(distinct).isGreaterThan(1);
	}

	@Test
	void nodeThatAnsweredButIsNowExcludedIsNotAskedAgain() {
		assertThat(new SourceChoice(7).next(this.view, Set.of(), Set.of(B1), B1)).isNotEqualTo(B1);
	}

}
