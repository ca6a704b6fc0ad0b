package io.github.redisresilience.autoconfigure.topology;

import java.time.Instant;
import java.util.List;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.api.Test;

import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.A;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.B;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.C;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.master;
import static io.github.redisresilience.autoconfigure.topology.ClusterNodesText.view;
import static org.assertj.core.api.Assertions.assertThat;

class AnnouncedNamesTests {

	private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

	private final List<RedisClusterNode> named = view(master(A, "127.0.1.1:6379,pod-0.svc", 1, "0-5460"),
			master(B, "127.0.1.2:6379,pod-1.svc", 2, "5461-10922"),
			master(C, "127.0.1.3:6379,pod-2.svc", 3, "10923-16383"));

	/** Read from A just after it moved and restarted: it has not learned C's name yet. */
	private final List<RedisClusterNode> gap = view(master(A, "127.0.2.1:6379,pod-0.svc", 1, "0-5460", "myself"),
			master(B, "127.0.1.2:6379,pod-1.svc", 2, "5461-10922"), master(C, "127.0.1.3:6379", 3, "10923-16383"));

	@Test
	void aNodeListedByIpKeepsTheNameItAnnounces() {
		assertThat(AnnouncedNames.keep(this.named, this.gap, A)).containsExactly(C);
		assertThat(this.gap).extracting(ViewComparison::address)
			.containsExactly("pod-0.svc:6379", "pod-1.svc:6379", "pod-2.svc:6379");
		assertThat(ViewComparison.compare(this.named, this.gap).isEmpty()).isTrue();
	}

	@Test
	void aNodeListingItselfByIpIsTakenAtItsWord() {
		List<RedisClusterNode> own = view(master(A, "127.0.1.1:6379,pod-0.svc", 1, "0-5460"),
				master(B, "127.0.1.2:6379,pod-1.svc", 2, "5461-10922"),
				master(C, "127.0.1.3:6379", 3, "10923-16383", "myself"));
		assertThat(AnnouncedNames.keep(this.named, own, C)).isEmpty();
		assertThat(ViewComparison.address(own.get(2))).isEqualTo("127.0.1.3:6379");
	}

	@Test
	void nodesKnownByIpAreLeftAlone() {
		List<RedisClusterNode> ips = view(master(A, "127.0.1.1:6379", 1, "0-5460"),
				master(B, "127.0.1.2:6379", 2, "5461-10922"), master(C, "127.0.1.3:6379", 3, "10923-16383"));
		List<RedisClusterNode> moved = view(master(A, "127.0.2.1:6379", 1, "0-5460", "myself"),
				master(B, "127.0.1.2:6379", 2, "5461-10922"), master(C, "127.0.2.3:6379", 3, "10923-16383"));
		assertThat(AnnouncedNames.keep(ips, moved, A)).isEmpty();
		assertThat(ViewComparison.compare(ips, moved).moved()).containsExactly(A, C);
	}

	@Test
	void aNameGivenForAnotherNameIsAMove() {
		List<RedisClusterNode> renamed = view(master(A, "127.0.1.1:6379,pod-0.svc", 1, "0-5460", "myself"),
				master(B, "127.0.1.2:6379,pod-1.svc", 2, "5461-10922"),
				master(C, "127.0.2.3:6379,pod-7.svc", 3, "10923-16383"));
		assertThat(AnnouncedNames.keep(this.named, renamed, A)).isEmpty();
		assertThat(ViewComparison.compare(this.named, renamed).moved()).containsExactly(C);
	}

	@Test
	void aRefreshListingANamedNodeByIpDoesNotMakeItsNameAnAddressItLeft() {
		ViewOrdering ordering = new ViewOrdering();
		ordering.observe(this.named, NOW);
		List<RedisClusterNode> refreshed = view(master(A, "127.0.2.1:6379,pod-0.svc", 1, "0-5460"),
				master(B, "127.0.1.2:6379,pod-1.svc", 2, "5461-10922"), master(C, "127.0.1.3:6379", 3, "10923-16383"));
		assertThat(ordering.observe(refreshed, NOW)).containsExactly(C);
		assertThat(ordering.hasLeft(C, "pod-2.svc:6379", NOW)).isFalse();
		long read = ordering.begin();
		assertThat(ordering.judge(read, refreshed, this.named, B, NOW)).isEqualTo(ViewOrdering.Verdict.APPLY);
		assertThat(ordering.observe(refreshed, NOW)).isEmpty();
	}

}
