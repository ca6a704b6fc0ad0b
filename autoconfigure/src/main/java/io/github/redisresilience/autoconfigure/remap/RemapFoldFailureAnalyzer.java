package io.github.redisresilience.autoconfigure.remap;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link RemapFoldException}: why several nodes on one address cannot work
 * against a real cluster, and the three ways out.
 */
class RemapFoldFailureAnalyzer extends AbstractFailureAnalyzer<RemapFoldException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RemapFoldException cause) {
		String description = "The remap " + String.join(" and ", cause.getRules())
				+ " would send several cluster nodes to the one address " + cause.getTarget()
				+ ". Each node's connection would land on an arbitrary node behind that address, so commands "
				+ "for slots owned by another node get a MOVED redirection that leads back to the same address, "
				+ "and they loop until the redirection limit is exhausted.";
		String action = "Change '" + cause.getProperty() + "' so that each node keeps its own address, using "
				+ "{host}, {port} or regex groups such as {1} (for example from 'regex:10\\.0\\.1\\.(\\d+):6379' "
				+ "to 'node-{1}.example:6379'). If " + cause.getTarget() + " is a cluster-aware proxy, set "
				+ "'redis.resilience.remap.proxy-endpoint' to it instead. To start anyway and only log a warning, "
				+ "set 'redis.resilience.remap.on-fold=warn'.";
		return new FailureAnalysis(description, action, cause);
	}

}
