package io.github.redisresilience.autoconfigure.chaos;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.redisresilience.autoconfigure.topology.DeploymentShape;
import io.github.redisresilience.autoconfigure.topology.DeploymentShape.Announced;
import io.github.redisresilience.autoconfigure.topology.DeploymentShape.Seeds;
import io.github.redisresilience.test.LocalRedisCluster;
import io.github.redisresilience.test.LocalRedisCluster.OldAddresses;
import io.github.redisresilience.test.LocalRedisCluster.PreferredEndpoint;
import io.github.redisresilience.test.RedisPod;
import io.github.redisresilience.test.RequiresRedis;
import io.github.redisresilience.test.WithLocalRedisCluster;

/**
 * The starter's defaults in the other ways Redis Cluster is deployed on Kubernetes: seeds behind
 * a ClusterIP Service, and pods that announce stable host names with either preferred endpoint
 * type: every pod moving at once with its old address black-holed, and a master killed.
 */
class DeploymentShapesIT {

	@Nested
	@WithLocalRedisCluster(shared = false)
	class SeedsBehindAClusterIpService extends ChaosTestSupport {

		static LocalRedisCluster cluster;

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.redisresilience.autoconfigure.chaos.ChaosTestSupport#runs")
		void survivesAllPodsMoving(ClientMode mode) throws Exception {
			cluster.startClusterIpService();
			startApplication(mode, cluster.clusterIpServiceName() + ":" + cluster.port());
			runScenario("ClusterIP seeds, all pods move", blocking(), (workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
			assertShape(new DeploymentShape(Seeds.CLUSTER_IP_SERVICE, Announced.IPS));
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.redisresilience.autoconfigure.chaos.ChaosTestSupport#runs")
		void survivesAMasterKill(ClientMode mode) throws Exception {
			cluster.startClusterIpService();
			startApplication(mode, cluster.clusterIpServiceName() + ":" + cluster.port());
			RedisPod master = cluster.masterOf(0);
			runScenario("ClusterIP seeds, master killed", blocking(), (workload) -> cluster.killMaster(master));
			cluster.restart(master);
		}

	}

	@Nested
	@RequiresRedis(7)
	@WithLocalRedisCluster(shared = false, announceHostnames = PreferredEndpoint.IP)
	class PodsAnnouncingHostnamesWithIpRedirects extends ChaosTestSupport {

		static LocalRedisCluster cluster;

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.redisresilience.autoconfigure.chaos.ChaosTestSupport#runs")
		void survivesAllPodsMoving(ClientMode mode) throws Exception {
			startApplication(mode, cluster.seedNodes());
			runScenario("hostnames (ip endpoints), all pods move", blocking(),
					(workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
			// CLUSTER NODES carries the names, which Lettuce dials; only redirects carry IPs.
			assertShape(new DeploymentShape(Seeds.HEADLESS_SERVICE, Announced.HOSTNAMES));
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.redisresilience.autoconfigure.chaos.ChaosTestSupport#runs")
		void survivesAMasterKill(ClientMode mode) throws Exception {
			startApplication(mode, cluster.seedNodes());
			RedisPod master = cluster.masterOf(0);
			runScenario("hostnames (ip endpoints), master killed", blocking(), (workload) -> cluster.killMaster(master));
			cluster.restart(master);
		}

	}

	@Nested
	@RequiresRedis(7)
	@WithLocalRedisCluster(shared = false, announceHostnames = PreferredEndpoint.HOSTNAME)
	class PodsAnnouncingHostnamesWithHostnameRedirects extends ChaosTestSupport {

		static LocalRedisCluster cluster;

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.redisresilience.autoconfigure.chaos.ChaosTestSupport#runs")
		void survivesAllPodsMoving(ClientMode mode) throws Exception {
			startApplication(mode, cluster.seedNodes());
			runScenario("hostnames (hostname endpoints), all pods move", blocking(),
					(workload) -> cluster.moveAllPods(OldAddresses.BLACK_HOLE));
			assertShape(new DeploymentShape(Seeds.HEADLESS_SERVICE, Announced.HOSTNAMES));
		}

		@ParameterizedTest(name = "{0}")
		@MethodSource("io.github.redisresilience.autoconfigure.chaos.ChaosTestSupport#runs")
		void survivesAMasterKill(ClientMode mode) throws Exception {
			startApplication(mode, cluster.seedNodes());
			RedisPod master = cluster.masterOf(0);
			runScenario("hostnames (hostname endpoints), master killed", blocking(), (workload) -> cluster.killMaster(master));
			cluster.restart(master);
		}

	}

}
