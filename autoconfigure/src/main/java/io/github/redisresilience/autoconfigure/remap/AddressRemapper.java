package io.github.redisresilience.autoconfigure.remap;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.DnsResolver;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import io.lettuce.core.resource.SocketAddressResolver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.github.redisresilience.autoconfigure.remap.FoldDetector.Fold;
import io.github.redisresilience.autoconfigure.settings.InvalidResilienceSettingException;

/**
 * Maps the addresses cluster nodes announce to the addresses the client dials, as
 * configured under {@code redis.resilience.remap}.
 * <p>
 * Rules apply first-match-wins; a node no rule matches goes to the proxy endpoint when one
 * is set, otherwise it is dialled as announced. Rules that would send several nodes to one
 * address fail the startup with a {@link RemapFoldException} (or log a warning with
 * {@code on-fold=warn}), unless a proxy endpoint is set, which declares that sharing an
 * address is intended.
 */
public final class AddressRemapper {

	private static final Log logger = LogFactory.getLog(AddressRemapper.class);

	private final List<RemapRule> rules;

	private final @Nullable HostAndPort proxyEndpoint;

	private final RemappingFunction mapping;

	private AddressRemapper(List<RemapRule> rules, @Nullable HostAndPort proxyEndpoint) {
		this.rules = rules;
		this.proxyEndpoint = proxyEndpoint;
		this.mapping = new RemappingFunction(rules, proxyEndpoint);
	}

	/**
	 * Create a remapper from the settings.
	 * @param remap the {@code redis.resilience.remap} settings
	 * @return the remapper; {@link #isActive() inactive} when neither rules nor a proxy
	 * endpoint are configured
	 * @throws InvalidResilienceSettingException if a rule or the proxy endpoint cannot be parsed
	 * @throws RemapFoldException if rules fold several nodes onto one address, no proxy
	 * endpoint is set and {@code on-fold} is {@code fail}
	 */
	public static AddressRemapper from(RemapSettings remap) {
		List<RemapRule> rules = RuleParser.parseRules(remap.rules());
		String endpoint = remap.proxyEndpoint();
		HostAndPort proxyEndpoint = (endpoint != null && !endpoint.isBlank())
				? RuleParser.parseProxyEndpoint(endpoint) : null;
		if (proxyEndpoint == null) {
			checkFolds(FoldDetector.detect(rules), remap.onFold());
		}
		return new AddressRemapper(rules, proxyEndpoint);
	}

	private static void checkFolds(List<Fold> folds, FoldPolicy policy) {
		if (folds.isEmpty()) {
			return;
		}
		Fold first = folds.get(0);
		if (policy != FoldPolicy.WARN) {
			throw new RemapFoldException(first.property(), first.target(), first.describeRules());
		}
		for (Fold fold : folds) {
			logger.warn("Remap " + String.join(" and ", fold.describeRules())
					+ " would send several cluster nodes to the one address " + fold.target()
					+ ": each node's connection would land on an arbitrary node and commands would loop on MOVED "
					+ "redirections. Starting anyway because redis.resilience.remap.on-fold=warn.");
		}
	}

	/**
	 * Whether any rule or a proxy endpoint is configured; an inactive remapper maps every
	 * address to itself.
	 * @return {@code true} if addresses may be remapped
	 */
	public boolean isActive() {
		return !this.rules.isEmpty() || this.proxyEndpoint != null;
	}

	/**
	 * Return the mapping function, for
	 * {@link MappingSocketAddressResolver#create(DnsResolver, Function)}. It logs each
	 * applied mapping at DEBUG.
	 * @return the function from announced to dialled address
	 * @throws IllegalStateException from the function, if a rule renders an empty host or
	 * an invalid port for some address
	 */
	public Function<HostAndPort, HostAndPort> mapping() {
		return this.mapping;
	}

	/**
	 * Map one announced address.
	 * @param announced the address a node announced
	 * @return the address to dial
	 */
	public HostAndPort map(HostAndPort announced) {
		return this.mapping.apply(announced);
	}

	/**
	 * Return a socket address resolver that applies the mapping and leaves name resolution
	 * to the client resources' address resolver group, so DNS answers are not cached
	 * beyond the configured TTLs.
	 * @return the resolver
	 */
	public SocketAddressResolver toResolver() {
		return MappingSocketAddressResolver.create(DnsResolver.unresolved(), this.mapping);
	}

	/**
	 * Find which of the given node addresses would be dialled at the same address, for
	 * example after a topology refresh. A node no rule matches counts with its announced
	 * address, so a rule that sends one node to another node's address is found too. When a
	 * proxy endpoint is set, sharing an address is intended and nothing is reported.
	 * @param announced the addresses the cluster's nodes announce
	 * @return each shared dialled address with the announced addresses sent to it; empty
	 * when every node keeps an address of its own
	 */
	public Map<HostAndPort, Set<HostAndPort>> findFolds(Collection<HostAndPort> announced) {
		if (this.proxyEndpoint != null) {
			return Map.of();
		}
		Map<String, HostAndPort> targets = new LinkedHashMap<>();
		Map<String, Set<HostAndPort>> sources = new LinkedHashMap<>();
		for (HostAndPort node : announced) {
			HostAndPort target = this.mapping.apply(node);
			String key = target.getHostText().toLowerCase(Locale.ROOT) + ":" + target.getPort();
			targets.putIfAbsent(key, target);
			sources.computeIfAbsent(key, (k) -> new LinkedHashSet<>()).add(node);
		}
		Map<HostAndPort, Set<HostAndPort>> folds = new LinkedHashMap<>();
		sources.forEach((key, nodes) -> {
			if (nodes.size() > 1) {
				folds.put(targets.get(key), Collections.unmodifiableSet(nodes));
			}
		});
		return Collections.unmodifiableMap(folds);
	}

	/**
	 * Describe the configuration for the startup summary, without secrets.
	 * @return for example {@code "2 rules"} or {@code "proxy redis-proxy:6379"}
	 */
	@Override
	public String toString() {
		if (!isActive()) {
			return "none";
		}
		String rulesText = this.rules.size() + ((this.rules.size() == 1) ? " rule" : " rules");
		if (this.proxyEndpoint == null) {
			return rulesText;
		}
		return (this.rules.isEmpty() ? "" : rulesText + ", ") + "proxy " + this.proxyEndpoint;
	}

}
