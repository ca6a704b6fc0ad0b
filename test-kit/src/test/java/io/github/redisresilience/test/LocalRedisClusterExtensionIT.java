package io.github.redisresilience.test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Which cluster {@link WithLocalRedisCluster} hands each class, run as JUnit runs a suite: the
 * classes below are launched in one run, in order, so the second meets what the first left in it.
 */
class LocalRedisClusterExtensionIT {

	/** The cluster each class below was handed, by class. */
	static final Map<Class<?>, LocalRedisCluster> handed = new ConcurrentHashMap<>();

	@Test
	void aClassAskingForItsOwnClusterGetsOneAfterAClassSharingTheSameShape() {
		TestExecutionSummary summary = launch(SharingClass.class, OwnClusterClass.class, OtherSharingClass.class);

		assertThat(summary.getFailures()).as("failures of the launched classes").isEmpty();
		assertThat(summary.getTestsSucceededCount()).as("launched tests that passed").isEqualTo(3);
		assertThat(handed.get(OwnClusterClass.class)).as("the class's own cluster")
			.isNotSameAs(handed.get(SharingClass.class));
		assertThat(handed.get(OtherSharingClass.class)).as("the cluster shared by classes of one shape")
			.isSameAs(handed.get(SharingClass.class));
	}

	private static TestExecutionSummary launch(Class<?>... classes) {
		handed.clear();
		LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
		for (Class<?> type : classes) {
			request.selectors(selectClass(type));
		}
		// In the order given: JUnit's default class order is deterministic but not the declared one.
		request.configurationParameter("junit.jupiter.testclass.order.default",
				"org.junit.jupiter.api.ClassOrderer$OrderAnnotation");
		LauncherDiscoveryRequest discovery = request.build();
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		// Without the kit's session listeners: the build's own session reports once, at its end.
		LauncherConfig config = LauncherConfig.builder()
			.enableLauncherSessionListenerAutoRegistration(false)
			.enableTestExecutionListenerAutoRegistration(false)
			.build();
		LauncherFactory.create(config).execute(discovery, listener);
		return listener.getSummary();
	}

	// Nested classes are left out of the build's own test runs: only the launch above runs them.

	@WithLocalRedisCluster(replicasPerMaster = 0)
	@Order(1)
	static class SharingClass {

		static LocalRedisCluster cluster;

		@Test
		void record() {
			handed.put(SharingClass.class, cluster);
		}

	}

	@WithLocalRedisCluster(replicasPerMaster = 0, shared = false)
	@Order(2)
	static class OwnClusterClass {

		static LocalRedisCluster cluster;

		@Test
		void record() {
			handed.put(OwnClusterClass.class, cluster);
		}

	}

	@WithLocalRedisCluster(replicasPerMaster = 0)
	@Order(3)
	static class OtherSharingClass {

		static LocalRedisCluster cluster;

		@Test
		void record() {
			handed.put(OtherSharingClass.class, cluster);
		}

	}

}
