package io.github.redisresilience.autoconfigure.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link RedisCredentialsRejectedException}: which properties hold the rejected
 * credentials. It quotes Redis's reply and never the user name or password.
 */
class RedisCredentialsRejectedFailureAnalyzer extends AbstractFailureAnalyzer<RedisCredentialsRejectedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RedisCredentialsRejectedException cause) {
		String who = cause.isUsernameSet() ? "the ACL user set in 'spring.data.redis.username'"
				: "the default user (no 'spring.data.redis.username' is set)";
		String description = "The Redis Cluster rejected the credentials of " + who
				+ " at startup; it answered '" + cause.getReply() + "'.";
		String action = "Check 'spring.data.redis.password' and 'spring.data.redis.username' (or the credentials in "
				+ "'spring.data.redis.url') against the cluster's requirepass or ACL user (ACL LIST on a node), "
				+ "and that the user is enabled and allowed the commands the application runs.";
		return new FailureAnalysis(description, action, cause);
	}

}
