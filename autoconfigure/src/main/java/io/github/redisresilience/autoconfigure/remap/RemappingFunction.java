package io.github.redisresilience.autoconfigure.remap;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.lettuce.core.internal.HostAndPort;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Maps an announced address to the address to dial: the first matching rule wins, then the
 * proxy endpoint if one is set, otherwise the address is dialled as announced.
 */
final class RemappingFunction implements Function<HostAndPort, HostAndPort> {

	private static final Log logger = LogFactory.getLog(AddressRemapper.class);

	private final List<RemapRule> rules;

	private final @Nullable HostAndPort proxyEndpoint;

	RemappingFunction(List<RemapRule> rules, @Nullable HostAndPort proxyEndpoint) {
		this.rules = rules;
		this.proxyEndpoint = proxyEndpoint;
	}

	@Override
	public HostAndPort apply(HostAndPort announced) {
		for (RemapRule rule : this.rules) {
			Optional<HostAndPort> mapped = rule.apply(announced);
			if (mapped.isPresent()) {
				logMapping(announced, mapped.get(), rule.name());
				return mapped.get();
			}
		}
		if (this.proxyEndpoint != null) {
			logMapping(announced, this.proxyEndpoint, RuleParser.PROXY_ENDPOINT);
			return this.proxyEndpoint;
		}
		return announced;
	}

	private static void logMapping(HostAndPort announced, HostAndPort mapped, String source) {
		if (logger.isDebugEnabled()) {
			logger.debug("Remapped " + announced + " to " + mapped + " by " + source);
		}
	}

}
