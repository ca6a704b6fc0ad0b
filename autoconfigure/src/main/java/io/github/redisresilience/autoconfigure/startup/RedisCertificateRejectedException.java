package io.github.redisresilience.autoconfigure.startup;

/**
 * The client rejected the TLS certificate of a Redis Cluster node at startup. It carries the
 * address the node announced, the address the client dialled (the remapped one, when a rule
 * matched) and the reason the JDK gave; never key material or credentials.
 */
class RedisCertificateRejectedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String announced;

	private final String dialled;

	private final String reason;

	private final int rejectedNodes;

	RedisCertificateRejectedException(String announced, String dialled, String reason, int rejectedNodes,
			Throwable cause) {
		super("The TLS certificate of Redis node " + announced + " (dialled as " + dialled + ") was rejected: "
				+ reason, cause);
		this.announced = announced;
		this.dialled = dialled;
		this.reason = reason;
		this.rejectedNodes = rejectedNodes;
	}

	/**
	 * Return the address the node announced, as {@code host:port}.
	 * @return the announced address
	 */
	public String getAnnounced() {
		return this.announced;
	}

	/**
	 * Return the address the client dialled and verified the certificate against, as
	 * {@code host:port}.
	 * @return the dialled address
	 */
	public String getDialled() {
		return this.dialled;
	}

	/**
	 * Whether a remap rule turned the announced address into another one.
	 * @return {@code true} if the dialled address differs from the announced one
	 */
	public boolean isRemapped() {
		return !this.announced.equalsIgnoreCase(this.dialled);
	}

	/**
	 * Return why the certificate was rejected, as the JDK put it, such as {@code No subject
	 * alternative DNS name matching redis-0.example found.}.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * Return how many of the checked nodes presented a rejected certificate.
	 * @return 1 or more
	 */
	public int getRejectedNodes() {
		return this.rejectedNodes;
	}

}
