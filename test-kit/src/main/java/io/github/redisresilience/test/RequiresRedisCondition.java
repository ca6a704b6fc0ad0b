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
		ConditionEvaluationResult result = RequiredCapabilities.evaluate(Integer.toString(major),
				binary.isAtLeast(major) ? null : tooOld(binary, major), binary.server() + " " + binary.version() + " >= " + major);
		if (result.isDisabled() || !required.get().tls()) {
			return result;
		}
		String reason = TlsSupport.unavailableReason();
		return RequiredCapabilities.evaluate("tls", (reason != null) ? "Needs a TLS cluster: " + reason : null,
				binary.server() + " " + binary.version() + " >= " + major + " with TLS");
	}

	private static String tooOld(RedisServerBinary binary, int major) {
		return "Needs redis-server " + major + " or newer; the kit found "
				+ binary.version() + " at " + binary.path() + " (" + binary.source()
				+ "). Put Redis " + major + " on the PATH or set -D" + RedisServerBinary.BINARY_PROPERTY + " to run it.";
	}

}
