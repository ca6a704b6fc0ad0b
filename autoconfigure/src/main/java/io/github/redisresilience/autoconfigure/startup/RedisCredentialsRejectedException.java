package io.github.redisresilience.autoconfigure.startup;

/**
 * The Redis Cluster refused the application's credentials at startup. It carries Redis's
 * error reply, which names neither the user nor the password, and whether a user name was
 * configured; never the credentials themselves.
 */
class RedisCredentialsRejectedException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String reply;

	private final boolean usernameSet;

	RedisCredentialsRejectedException(String reply, boolean usernameSet) {
		super("The Redis Cluster rejected the configured credentials: " + reply);
		this.reply = reply;
		this.usernameSet = usernameSet;
	}

	/**
	 * Return Redis's error reply, such as {@code WRONGPASS invalid username-password pair}.
	 * @return the reply
	 */
	public String getReply() {
		return this.reply;
	}

	/**
	 * Return whether {@code spring.data.redis.username} (or a user in the URL) was set.
	 * @return {@code true} for an ACL user, {@code false} for the default user
	 */
	public boolean isUsernameSet() {
		return this.usernameSet;
	}

}
