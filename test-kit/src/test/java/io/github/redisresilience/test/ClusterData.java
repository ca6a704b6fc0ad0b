package io.github.redisresilience.test;

import java.io.IOException;
import java.net.InetSocketAddress;
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
		RedisPod target = entry;
		for (int redirect = 0; redirect < 5; redirect++) {
			// Through the kit, so that a TLS cluster is dialled over TLS too.
			try (RespConnection connection = cluster.connect(target)) {
				return connection.callForString(command);
			}
			catch (RespConnection.RedisErrorReply ex) {
				if (!ex.getMessage().startsWith("MOVED")) {
					throw ex;
				}
				String[] hostAndPort = ex.getMessage().split(" ")[2].split(":");
				InetSocketAddress address = new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1]));
				target = cluster.pods().stream()
					.filter((pod) -> pod.address().equals(address))
					.findFirst()
					.orElseThrow(() -> new IOException("No pod at " + address + ", where " + ex.getMessage() + " points"));
			}
		}
		throw new IOException("Too many redirects for " + String.join(" ", command));
	}

}
