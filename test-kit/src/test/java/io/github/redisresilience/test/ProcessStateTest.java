package io.github.redisresilience.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The process state the kit reports for a paused pod when the cluster does not heal: it must
 * tell a process the kernel stopped from one that still runs.
 */
@EnabledOnOs(OS.LINUX)
class ProcessStateTest {

	@Test
	void aProcessStoppedWithSigstopReadsAsStoppedAndRunsAgainAfterSigcont() throws Exception {
		Process sleeper = new ProcessBuilder("sleep", "60").start();
		try {
			assertThat(PodProcesses.processState(sleeper.pid())).isIn("S", "R");
			signal("STOP", sleeper.pid());
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(PodProcesses.processState(sleeper.pid())).isEqualTo("T"));
			signal("CONT", sleeper.pid());
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(PodProcesses.processState(sleeper.pid())).isIn("S", "R"));
		}
		finally {
			sleeper.destroyForcibly();
			sleeper.waitFor(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void aProcessThatIsGoneReadsAsUnknown() throws Exception {
		Process done = new ProcessBuilder("true").start();
		assertThat(done.waitFor(5, TimeUnit.SECONDS)).isTrue();
		assertThat(PodProcesses.processState(done.pid())).startsWith("unknown");
	}

	private static void signal(String signal, long pid) throws Exception {
		Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid).start();
		assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
		assertThat(kill.exitValue()).isZero();
	}

}
