package io.github.redisresilience.autoconfigure.remap;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidRemapRuleException}: which rule property is wrong, why, and
 * how to write it.
 */
class InvalidRemapRuleFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRemapRuleException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidRemapRuleException cause) {
		String description = "The value '" + cause.getValue() + "' of the property '" + cause.getProperty()
				+ "' is not a valid remap setting: " + cause.getReason() + ".";
		String action = "Update '" + cause.getProperty() + "': " + cause.getFix();
		return new FailureAnalysis(description, action, cause);
	}

}
