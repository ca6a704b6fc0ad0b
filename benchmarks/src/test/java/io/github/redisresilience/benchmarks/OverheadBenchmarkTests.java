package io.github.redisresilience.benchmarks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class OverheadBenchmarkTests {

	/** The session's first measured window favours neither client over two sessions, whatever the rounds. */
	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 4, 5 })
	void overTwoSessionsEachClientGoesFirstEquallyOften(int rounds) {
		int candidateFirst = 0;
		for (int session = 0; session < 2; session++) {
			for (int round = 1; round <= rounds; round++) {
				candidateFirst += OverheadBenchmark.candidateFirst(session, round) ? 1 : 0;
			}
		}
		assertThat(candidateFirst).isEqualTo(rounds);
		assertThat(OverheadBenchmark.candidateFirst(0, 1)).isNotEqualTo(OverheadBenchmark.candidateFirst(1, 1));
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 2, 3 })
	void theOrderFlipsEveryRound(int session) {
		for (int round = 1; round < 6; round++) {
			assertThat(OverheadBenchmark.candidateFirst(session, round + 1))
				.isNotEqualTo(OverheadBenchmark.candidateFirst(session, round));
		}
	}

}
