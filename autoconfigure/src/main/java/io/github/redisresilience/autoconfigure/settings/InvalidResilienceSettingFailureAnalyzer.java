package io.github.redisresilience.autoconfigure.settings;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidResilienceSettingException}: which property holds which bad
 * value, and what to set instead.
 */
class InvalidResilienceSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidResilienceSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidResilienceSettingException cause) {
		String description = "The value '" + cause.getValue() + "' of the property '" + cause.getProperty()
				+ "' is invalid: " + cause.getReason() + ".";
		String action = "Update '" + cause.getProperty() + "': " + cause.getFix();
		return new FailureAnalysis(description, action, cause);
	}

}
