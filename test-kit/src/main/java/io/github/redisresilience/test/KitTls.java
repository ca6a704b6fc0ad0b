package io.github.redisresilience.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A cluster's TLS material: a certificate authority made for the cluster and one server
 * certificate, signed by it, that every pod presents (as one cert-manager certificate for a
 * StatefulSet), and a client certificate for clusters that require one. Generated with
 * {@code openssl} in the cluster's work directory; the private keys never leave it.
 *
 * @param caCertificate the CA certificate (PEM), what clients trust
 * @param serverCertificate the pods' certificate (PEM)
 * @param serverKey the pods' private key (PEM)
 * @param clientCertificate a client certificate signed by the CA (PEM)
 * @param clientKey its private key (PEM, PKCS#8)
 * @param names the DNS names the pods' certificate is valid for
 * @param socketFactory the kit's own client side: trusts only the CA, presents the client certificate
 */
record KitTls(Path caCertificate, Path serverCertificate, Path serverKey, Path clientCertificate, Path clientKey,
		List<String> names, SSLSocketFactory socketFactory) {

	/** Long enough for any test run, short enough that a leaked key is worthless soon. */
	private static final int VALID_DAYS = 2;

	/**
	 * Generates a CA and a server certificate for the given names.
	 * @param directory where the files go
	 * @param names DNS names (wildcards allowed), the first is the subject's common name
	 * @return the material
	 */
	static KitTls generate(Path directory, List<String> names) {
		try {
			Path tls = Files.createDirectories(directory.resolve("tls"));
			Path caKey = tls.resolve("ca.key");
			Path caCertificate = tls.resolve("ca.crt");
			Path serverKey = tls.resolve("server.key");
			Path request = tls.resolve("server.csr");
			Path serverCertificate = tls.resolve("server.crt");
			Path extensions = tls.resolve("server.ext");
			// EC keys: generated in milliseconds, where RSA keys would cost a visible part of a test.
			openssl(tls, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
					"-keyout", caKey.toString(), "-out", caCertificate.toString(), "-days", Integer.toString(VALID_DAYS),
					"-subj", "/O=redis-cluster-kit/CN=" + names.get(0) + " test CA", "-addext",
					"basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
			openssl(tls, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
					serverKey.toString(), "-out", request.toString(), "-subj", "/O=redis-cluster-kit/CN=" + names.get(0));
			// No IP address in the names on purpose: a client that verifies the announced IP fails,
			// as it would against most certificates issued in Kubernetes.
			List<String> dnsNames = names.stream().map((name) -> "DNS:" + name).toList();
			// clientAuth too: nodes present the same certificate when they dial each other's bus.
			Files.writeString(extensions, "subjectAltName=" + String.join(",", dnsNames) + "\n"
					+ "keyUsage=critical,digitalSignature,keyEncipherment\n" + "extendedKeyUsage=serverAuth,clientAuth\n"
					+ "basicConstraints=CA:FALSE\n", StandardCharsets.US_ASCII);
			openssl(tls, "x509", "-req", "-in", request.toString(), "-CA", caCertificate.toString(), "-CAkey",
					caKey.toString(), "-CAcreateserial", "-out", serverCertificate.toString(), "-days",
					Integer.toString(VALID_DAYS), "-extfile", extensions.toString());
			Path clientKey = tls.resolve("client.key");
			Path clientRequest = tls.resolve("client.csr");
			Path clientCertificate = tls.resolve("client.crt");
			Path clientExtensions = tls.resolve("client.ext");
			openssl(tls, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
					clientKey.toString(), "-out", clientRequest.toString(), "-subj", "/O=redis-cluster-kit/CN=client");
			Files.writeString(clientExtensions, "keyUsage=critical,digitalSignature\n" + "extendedKeyUsage=clientAuth\n"
					+ "basicConstraints=CA:FALSE\n", StandardCharsets.US_ASCII);
			openssl(tls, "x509", "-req", "-in", clientRequest.toString(), "-CA", caCertificate.toString(), "-CAkey",
					caKey.toString(), "-CAcreateserial", "-out", clientCertificate.toString(), "-days",
					Integer.toString(VALID_DAYS), "-extfile", clientExtensions.toString());
			// Nothing else is signed with the CA: its key goes at once.
			Files.delete(caKey);
			return new KitTls(caCertificate, serverCertificate, serverKey, clientCertificate, clientKey,
					List.copyOf(names), socketFactory(caCertificate, clientCertificate, clientKey));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the TLS material under " + directory, ex);
		}
	}

	/**
	 * The {@code redis.conf} directives that make a node speak TLS only, on its client port and
	 * its cluster bus, and to its master.
	 * @param port the client port
	 * @param requireClientCertificates whether clients must present a certificate the CA signed
	 * @return the directives, one a line
	 */
	String redisConfig(int port, boolean requireClientCertificates) {
		return "port 0\n" + "tls-port " + port + "\n" + "tls-cluster yes\n" + "tls-replication yes\n"
				+ "tls-cert-file " + this.serverCertificate.toAbsolutePath() + "\n" + "tls-key-file "
				+ this.serverKey.toAbsolutePath() + "\n" + "tls-ca-cert-file " + this.caCertificate.toAbsolutePath()
				+ "\n" + "tls-auth-clients " + (requireClientCertificates ? "yes" : "no") + "\n";
	}

	private static SSLSocketFactory socketFactory(Path caCertificate, Path clientCertificate, Path clientKey) {
		try {
			KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
			trusted.load(null, null);
			trusted.setCertificateEntry("kit-ca", certificate(caCertificate));
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			// An in-memory key store only: its password protects nothing and goes nowhere.
			char[] password = new char[0];
			KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
			identity.load(null, null);
			identity.setKeyEntry("kit-client", privateKey(clientKey), password,
					new Certificate[] { certificate(clientCertificate) });
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(identity, password);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
			return context.getSocketFactory();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the kit's TLS material next to " + caCertificate, ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not build a trust store from " + caCertificate, ex);
		}
	}

	private static Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
		try (InputStream in = Files.newInputStream(pem)) {
			return CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

	/** OpenSSL 3 writes new keys as PKCS#8 ("BEGIN PRIVATE KEY"), which the JDK reads as it is. */
	private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
		String base64 = Files.readString(pem, StandardCharsets.US_ASCII)
			.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
			.replaceAll("\\s", "");
		return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
	}

	private static void openssl(Path directory, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add("openssl");
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
			String output;
			try (InputStream in = process.getInputStream()) {
				output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("openssl " + arguments[0] + " did not finish within 30 s");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("openssl " + arguments[0] + " failed with " + process.exitValue() + ": "
						+ output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run openssl (install it, e.g. apt-get install openssl)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running openssl", ex);
		}
	}

}
