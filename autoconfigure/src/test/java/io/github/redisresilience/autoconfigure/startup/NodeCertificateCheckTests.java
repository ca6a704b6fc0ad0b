package io.github.redisresilience.autoconfigure.startup;

import java.net.ConnectException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import io.github.redisresilience.autoconfigure.remap.AddressRemapper;
import io.github.redisresilience.autoconfigure.remap.RemapSettings;

import static org.assertj.core.api.Assertions.assertThat;

class NodeCertificateCheckTests {

	@Test
	void findsTheCertificateProblemBehindLettucesAndNettysWrappers() {
		CertificateException mismatch = new CertificateException("No subject alternative DNS name matching redis-0 found.");
		Throwable failure = new RedisConnectionException("Unable to connect to redis-0:6379",
				new DecoderException(handshake(mismatch)));

		assertThat(NodeCertificateCheck.certificateFailure(failure)).isSameAs(mismatch);
	}

	@Test
	void findsTheCertificateProblemAmongSuppressedFailures() {
		CertificateException untrusted = new CertificateException("PKIX path building failed");
		RedisConnectionException failure = new RedisConnectionException("Unable to connect");
		failure.addSuppressed(new ConnectException("Connection refused"));
		failure.addSuppressed(handshake(untrusted));

		assertThat(NodeCertificateCheck.certificateFailure(failure)).isSameAs(untrusted);
	}

	@Test
	void ignoresFailuresThatAreNotAboutTheCertificate() {
		assertThat(NodeCertificateCheck.certificateFailure(
				new RedisConnectionException("Unable to connect", new ConnectException("Connection refused"))))
			.isNull();
		assertThat(NodeCertificateCheck.certificateFailure(new RedisCommandExecutionException("NOAUTH Authentication required.")))
			.isNull();
		assertThat(NodeCertificateCheck.certificateFailure(new SSLHandshakeException("Received fatal alert: handshake_failure")))
			.isNull();
		assertThat(NodeCertificateCheck.certificateFailure(null)).isNull();
	}

	@Test
	void survivesACycleOfCauses() {
		RedisConnectionException first = new RedisConnectionException("first");
		RedisConnectionException second = new RedisConnectionException("second", first);
		first.addSuppressed(second);

		assertThat(NodeCertificateCheck.certificateFailure(second)).isNull();
	}

	@Test
	void doesNothingWithoutTls() {
		NodeCertificateCheck check = new NodeCertificateCheck(() -> {
			throw new AssertionError("the client must not be asked for without TLS");
		}, AddressRemapper.from(RemapSettings.NONE), null, 1);

		check.start();

		assertThat(check.isRunning()).isTrue();
	}

	private static SSLHandshakeException handshake(CertificateException cause) {
		SSLHandshakeException handshake = new SSLHandshakeException(cause.getMessage());
		handshake.initCause(cause);
		return handshake;
	}

}
