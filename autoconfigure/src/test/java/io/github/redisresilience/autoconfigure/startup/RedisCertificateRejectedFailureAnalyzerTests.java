package io.github.redisresilience.autoconfigure.startup;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class RedisCertificateRejectedFailureAnalyzerTests {

	private final RedisCertificateRejectedFailureAnalyzer analyzer = new RedisCertificateRejectedFailureAnalyzer();

	@Test
	void remappedNodeIsDescribedWithBothAddressesAndTheRemapProperty() {
		RedisCertificateRejectedException rejected = new RedisCertificateRejectedException("10.0.0.5:6379",
				"redis-0.nat.example:6379", "No subject alternative DNS name matching redis-0.nat.example found.", 3,
				new IllegalStateException());

		FailureAnalysis analysis = this.analyzer.analyze(rejected);

		assertThat(analysis.getDescription()).contains("10.0.0.5:6379")
			.contains("dialled as redis-0.nat.example:6379")
			.contains("No subject alternative DNS name matching redis-0.nat.example found.")
			.contains("2 more node(s)");
		assertThat(analysis.getAction()).contains("redis.resilience.remap.rules")
			.contains("spring.data.redis.ssl.bundle")
			.doesNotContain("cluster-announce-hostname");
	}

	@Test
	void nodeDialledAsAnnouncedSuggestsARuleOrAnnouncedHostnames() {
		RedisCertificateRejectedException rejected = new RedisCertificateRejectedException("10.0.0.5:6379",
				"10.0.0.5:6379", "No subject alternative names matching IP address 10.0.0.5 found", 1,
				new IllegalStateException());

		FailureAnalysis analysis = this.analyzer.analyze(rejected);

		assertThat(rejected.isRemapped()).isFalse();
		assertThat(analysis.getDescription()).contains("dialled as announced")
			.contains("matching IP address 10.0.0.5 found.")
			.doesNotContain("more node");
		assertThat(analysis.getAction()).contains("redis.resilience.remap.rules").contains("cluster-announce-hostname");
	}

	@Test
	void neverSuggestsTurningVerificationOff() {
		FailureAnalysis analysis = this.analyzer.analyze(new RedisCertificateRejectedException("a:1", "b:1", "untrusted",
				1, new IllegalStateException()));

		assertThat(analysis.getAction().toLowerCase()).doesNotContain("verify-peer")
			.doesNotContain("verify peer")
			.doesNotContain("insecure");
	}

}
