package io.github.redisresilience.test;

import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Evaluates {@link RequiresRedis} against the binary the kit runs.
 */
final class RequiresRedisCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		Optional<RequiresRedis> required = context.getElement()
			.flatMap((element) -> AnnotationSupport.findAnnotation(element, RequiresRedis.class));
		if (required.isEmpty()) {
			return ConditionEvaluationResult.enabled("no Redis version required");
		}
		RedisServerBinary binary = RedisServerBinary.get();
		int major = required.get().value();
		if (!binary.isAtLeast(major)) {
			return ConditionEvaluationResult.disabled(tooOld(binary, major));
		}
		if (required.get().tls()) {
			String reason = TlsSupport.unavailableReason();
			if (reason != null) {
				return ConditionEvaluationResult.disabled("Needs a TLS cluster: " + reason);
			}
		}
		return ConditionEvaluationResult.enabled("redis-server " + binary.version() + " >= " + major);
	}

	private static String tooOld(RedisServerBinary binary, int major) {
		return "Needs redis-server " + major + " or newer; the kit found "
				+ binary.version() + " at " + binary.path() + " (" + binary.source()
				+ "). Put Redis " + major + " on the PATH or set -D" + RedisServerBinary.BINARY_PROPERTY + " to run it.";
	}

}
