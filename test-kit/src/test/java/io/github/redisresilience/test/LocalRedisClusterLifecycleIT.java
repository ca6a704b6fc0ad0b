package io.github.redisresilience.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * What the kit leaves behind: nothing.
 */
class LocalRedisClusterLifecycleIT {

	@Test
	void closingStopsEveryProcessAndRemovesItsNamesAndFiles(@TempDir Path work) throws Exception {
		LocalRedisCluster cluster = LocalRedisCluster.builder().replicasPerMaster(0).workDirectory(work).start();
		List<Long> pids = cluster.pods().stream().map(RedisPod::pid).toList();
		String service = cluster.serviceName();
		assertThat(pids).allMatch((pid) -> ProcessHandle.of(pid).isPresent());

		cluster.close();

		assertThat(pids).noneMatch((pid) -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
		try (var remaining = Files.list(work)) {
			assertThat(remaining).isEmpty();
		}
		RequiredCapabilities.requireHostsFile();
		assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> InetAddress.getByName(service));
	}

	@Test
	void aBlackHoleSwallowsConnectsUntilClosed() throws Exception {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.77.0.9"), 6390);
		try (BlackHole hole = BlackHole.open(address)) {
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> connect(address));
		}
		assertThatIOException().isThrownBy(() -> connect(address)).withMessageContaining("refused");
	}

	@Test
	void aBlackHoleRefusesAnythingButLoopback() throws Exception {
		InetSocketAddress elsewhere = new InetSocketAddress(InetAddress.getByAddress(new byte[] { 10, 0, 0, 1 }), 6379);
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> BlackHole.open(elsewhere));
	}

	private static void connect(InetSocketAddress address) throws Exception {
		try (Socket socket = new Socket()) {
			socket.connect(address, 300);
		}
	}

}
