package io.github.redisresilience.autoconfigure.dns;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidDnsServerException}: which name server entry is wrong, why, and
 * how to write it.
 */
class InvalidDnsServerFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDnsServerException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidDnsServerException cause) {
		String description = "The value '" + cause.getValue() + "' of the property '" + cause.getProperty()
				+ "' is not a usable DNS server: " + cause.getReason() + ".";
		String action = "Update '" + cause.getProperty() + "': " + cause.getFix();
		return new FailureAnalysis(description, action, cause);
	}

}
