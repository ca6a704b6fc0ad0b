package io.github.redisresilience.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes and reads keys on a cluster by following {@code MOVED} redirects: enough to check that
 * data survives the kit's chaos without depending on a client library.
 */
final class ClusterData {

	private ClusterData() {
	}

	static Map<String, String> writeKeys(LocalRedisCluster cluster, String prefix, int count) throws IOException {
		Map<String, String> written = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			String key = prefix + ":" + i;
			String value = "value-" + i;
			call(cluster, "SET", key, value);
			written.put(key, value);
		}
		return written;
	}

	static String get(LocalRedisCluster cluster, String key) throws IOException {
		return call(cluster, "GET", key);
	}

	static String call(LocalRedisCluster cluster, String... command) throws IOException {
		RedisPod entry = cluster.pods().stream().filter(RedisPod::isUp).findFirst().orElseThrow();
		InetSocketAddress target = entry.address();
		for (int redirect = 0; redirect < 5; redirect++) {
			try (RespConnection connection = RespConnection.open(target, Duration.ofSeconds(2))) {
				return connection.callForString(command);
			}
			catch (RespConnection.RedisErrorReply ex) {
				if (!ex.getMessage().startsWith("MOVED")) {
					throw ex;
				}
				String[] hostAndPort = ex.getMessage().split(" ")[2].split(":");
				target = new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1]));
			}
		}
		throw new IOException("Too many redirects for " + String.join(" ", command));
	}

}
