package io.github.redisresilience.autoconfigure.topology;

/**
 * How the cluster is deployed, as the client sees it: where its seeds lead and what the nodes
 * announce. Each shape fails differently when pods move, so the starter logs the one it sees.
 *
 * @param seeds how the seed nodes resolve
 * @param announced what the nodes announce
 */
public record DeploymentShape(Seeds seeds, Announced announced) {

	/**
	 * One line for the log and the Actuator endpoint.
	 * @return e.g. {@code seeds via a headless Service, nodes announce IPs}
	 */
	public String describe() {
		return this.seeds.description + ", " + this.announced.description;
	}

	/**
	 * How the configured seed nodes lead to the cluster.
	 */
	public enum Seeds {

		/** IP addresses: they go stale when the pods move. */
		STATIC_ADDRESSES("seeds are fixed IP addresses (stale once the pods move)"),

		/** A name that resolves to the nodes' own addresses, like a headless Service. */
		HEADLESS_SERVICE("seeds via a headless Service"),

		/** A name that resolves to an address no node announces: a ClusterIP Service, a load balancer or a proxy. */
		CLUSTER_IP_SERVICE("seeds via a ClusterIP Service, load balancer or proxy"),

		/** The seeds did not resolve when the shape was read. */
		UNRESOLVED("seeds did not resolve");

		private final String description;

		Seeds(String description) {
			this.description = description;
		}

	}

	/**
	 * What the nodes announce in the topology.
	 */
	public enum Announced {

		/** Pod IPs, which change when pods move. */
		IPS("nodes announce IPs"),

		/** Stable host names, e.g. {@code cluster-announce-hostname}. */
		HOSTNAMES("nodes announce host names");

		private final String description;

		Announced(String description) {
			this.description = description;
		}

	}

}
