package io.github.redisresilience.autoconfigure.suspect;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.suspect.SuspectNode.Cause;

import static org.assertj.core.api.Assertions.assertThat;

class SuspectNodesTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private final SuspectNodes suspects = new SuspectNodes();

	@Test
	void nodeIsSuspectedOncePerEpisode() {
		assertThat(this.suspects.suspect("a", "10.0.0.1:6379", Cause.UNANSWERED_CONNECTION, "silent", NOW)).isPresent();
		assertThat(this.suspects.suspect("a", "10.0.0.1:6379", Cause.PROBE_TIMEOUT, "probe", NOW.plusSeconds(1)))
			.isEmpty();
		assertThat(this.suspects.all()).singleElement()
			.satisfies((suspect) -> assertThat(suspect.cause()).isEqualTo(Cause.UNANSWERED_CONNECTION));
	}

	@Test
	void answerEndsTheSuspicionAndTellsHowLongItLasted() {
		this.suspects.suspect("a", "10.0.0.1:6379", Cause.PROBE_TIMEOUT, "probe", NOW);

		assertThat(this.suspects.clear("a", "answered", NOW.plusMillis(1500))).hasValueSatisfying((cleared) -> {
			assertThat(cleared.why()).isEqualTo("answered");
			assertThat(cleared.suspectFor()).isEqualTo(Duration.ofMillis(1500));
		});
		assertThat(this.suspects.isEmpty()).isTrue();
		assertThat(this.suspects.clear("a", "answered", NOW)).isEmpty();
	}

	@Test
	void nodeNoLongerListedAsAMasterIsNoLongerSuspect() {
		this.suspects.suspect("a", "10.0.0.1:6379", Cause.UNANSWERED_CONNECTION, "silent", NOW);
		this.suspects.suspect("b", "10.0.0.2:6379", Cause.UNANSWERED_CONNECTION, "silent", NOW);

		assertThat(this.suspects.keepMasters(Map.of("b", "10.0.0.2:6379"), NOW))
			.extracting((cleared) -> cleared.suspect().nodeId())
			.containsExactly("a");
		assertThat(this.suspects.all()).extracting(SuspectNode::nodeId).containsExactly("b");
	}

	@Test
	void nodeListedAtANewAddressIsNoLongerSuspect() {
		this.suspects.suspect("a", "10.0.0.1:6379", Cause.PROBE_TIMEOUT, "probe", NOW);

		assertThat(this.suspects.keepMasters(Map.of("a", "10.0.0.9:6379"), NOW)).singleElement()
			.satisfies((cleared) -> assertThat(cleared.why()).isEqualTo("moved to 10.0.0.9:6379"));
	}

	@Test
	void causeTagIsLowerCaseWithDashes() {
		assertThat(Cause.UNANSWERED_CONNECTION.tag()).isEqualTo("unanswered-connection");
		assertThat(Cause.PROBE_TIMEOUT.tag()).isEqualTo("probe-timeout");
	}

}
