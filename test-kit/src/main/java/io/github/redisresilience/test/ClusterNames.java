package io.github.redisresilience.test;

import java.util.ArrayList;
import java.util.List;

import io.github.redisresilience.test.LocalRedisCluster.CertificateNames;

/**
 * The names of a cluster's Services and pods, all derived from the cluster's name as Kubernetes
 * derives them from a StatefulSet's and its namespace's.
 */
final class ClusterNames {

	private final String cluster;

	ClusterNames(String cluster) {
		this.cluster = cluster;
	}

	String cluster() {
		return this.cluster;
	}

	String service() {
		return this.cluster + "-svc";
	}

	String clusterIpService() {
		return this.cluster + "-clusterip";
	}

	String podIpDomain() {
		return this.cluster + ".pod";
	}

	String podIpName(RedisPod pod) {
		return pod.address().getHostString().replace('.', '-') + "." + podIpDomain();
	}

	String pod(int ordinal) {
		return this.cluster + "-" + ordinal;
	}

	String podHostname(String podName) {
		return podName + "." + this.cluster + "-headless";
	}

	/** Names that stay with the cluster when pods move, so the certificate never has to be re-issued. */
	List<String> certificateNames(CertificateNames choice, List<RedisPod> pods) {
		List<String> names = new ArrayList<>();
		names.add(service());
		names.add(clusterIpService());
		pods.forEach((pod) -> names.add(pod.hostname()));
		if (choice == CertificateNames.ALL) {
			names.add("*." + podIpDomain());
		}
		return names;
	}

}
