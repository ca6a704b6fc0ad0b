package io.github.redisresilience.test;

/**
 * The role of a pod's Redis node in the cluster.
 */
public enum Role {

	/** Serves slots. */
	MASTER,

	/** Replicates a master and takes over its slots on failover. */
	REPLICA

}
