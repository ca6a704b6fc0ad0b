package io.github.redisresilience.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterNodesLineTest {

	@Test
	void parsesRedis7LinesWithHostnamesAndSlotRanges() {
		List<ClusterNodesLine> lines = ClusterNodesLine.parse("""
				d71ec4 127.0.71.1:7100@17100,redis-0.redis-headless myself,master - 0 0 1 connected 0-5460 7000
				c60358 127.0.71.2:7100@17100 slave,fail? d71ec4 0 1795615898729 1 disconnected
				""");

		assertThat(lines).hasSize(2);
		assertThat(lines.get(0).host()).isEqualTo("127.0.71.1");
		assertThat(lines.get(0).port()).isEqualTo(7100);
		assertThat(lines.get(0).slotCount()).isEqualTo(5462);
		assertThat(lines.get(0).isMyself()).isTrue();
		assertThat(lines.get(1).isFailing()).isTrue();
		assertThat(lines.get(1).masterId()).isEqualTo("d71ec4");
		assertThat(lines.get(1).connected()).isFalse();
	}

	@Test
	void ignoresSlotsBeingMigrated() {
		List<ClusterNodesLine> lines = ClusterNodesLine
			.parse("a 127.0.0.2:7000@17000 master - 0 0 1 connected 0-99 [100->-b]");

		assertThat(lines.get(0).slotCount()).isEqualTo(100);
	}

}
