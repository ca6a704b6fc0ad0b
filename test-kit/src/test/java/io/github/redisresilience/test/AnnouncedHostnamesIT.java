package io.github.redisresilience.test;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.redisresilience.test.LocalRedisCluster.PreferredEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pods that announce stable host names (Redis 7 {@code cluster-announce-hostname}), redirects
 * carrying those names.
 */
@RequiresRedis(7)
@WithLocalRedisCluster(masters = 3, replicasPerMaster = 0, shared = false, announceHostnames = PreferredEndpoint.HOSTNAME)
class AnnouncedHostnamesIT {

	static LocalRedisCluster cluster;

	@Test
	void clusterSlotsNameEachMasterByItsPodHostname() throws IOException {
		RedisPod pod = cluster.pod(0);
		try (RespConnection connection = cluster.connect(pod)) {
			List<?> slots = (List<?>) connection.call("CLUSTER", "SLOTS");
			List<String> endpoints = slots.stream().map((range) -> (String) ((List<?>) ((List<?>) range).get(2)).get(0)).toList();

			assertThat(endpoints).containsExactlyInAnyOrderElementsOf(
					cluster.pods().stream().map(RedisPod::hostname).toList());
		}
	}

	@Test
	void aMovedPodKeepsItsHostname() throws IOException {
		RedisPod pod = cluster.pod(1);
		String before = pod.hostname();

		cluster.movePod(pod, LocalRedisCluster.OldAddresses.REFUSE);

		try (RespConnection connection = cluster.connect(cluster.pod(0))) {
			assertThat(connection.callForString("CLUSTER", "NODES")).contains("," + before + " ");
		}
	}

}
