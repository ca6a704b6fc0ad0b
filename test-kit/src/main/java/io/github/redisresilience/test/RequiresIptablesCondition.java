package io.github.redisresilience.test;

import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Evaluates {@link RequiresIptables} on this machine.
 */
final class RequiresIptablesCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		Optional<String> reason = LocalRedisCluster.partitionUnavailableReason();
		return RequiredCapabilities.evaluate("iptables", reason.orElse(null), "iptables works");
	}

}
