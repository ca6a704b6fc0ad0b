package io.github.redisresilience.autoconfigure.suspect;

import java.util.concurrent.Executor;

import io.lettuce.core.cluster.RedisClusterClient;
import org.jspecify.annotations.Nullable;

/**
 * What the suspect watch needs of the topology watcher: the client whose view says which nodes
 * are masters, since when that view routes commands, a thread to do its work on, and someone to
 * tell when a master becomes suspect. The topology watcher hands one to the suspect watch, so that
 * the topology package depends on this one and never the other way round.
 */
public interface WatchedCluster {

	/**
	 * The client being watched.
	 * @return the client, {@code null} while the topology watcher is not running
	 */
	@Nullable RedisClusterClient client();

	/**
	 * When the view last moved a node or promoted a replica: a PING sent before it that timed out
	 * may have gone to an address the node has left.
	 * @return the time, in {@link System#nanoTime()}'s terms
	 */
	long routingSinceNanos();

	/**
	 * The topology watcher's thread, off Lettuce's event loop.
	 * @return the executor, {@code null} while the topology watcher is not running
	 */
	@Nullable Executor executor();

	/**
	 * Told when a master becomes suspect: its replicas' view is to be read now, and at the suspect
	 * cadence until it is resolved.
	 */
	void suspected();

}
