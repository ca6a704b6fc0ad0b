package io.github.redisresilience.autoconfigure.remap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.redisresilience.autoconfigure.remap.AddressPattern.Reach;

/**
 * Finds, from the rules alone, where several cluster nodes would be sent to one address.
 * Against a real cluster that cannot work: each node connection lands on whichever node
 * the shared address reaches, and commands bounce on MOVED redirections.
 */
final class FoldDetector {

	private static final int ANY_PORT = -1;

	private FoldDetector() {
	}

	/**
	 * Find the folds the rules would cause.
	 * @param rules the parsed rules
	 * @return the folds, empty if none
	 */
	static List<Fold> detect(List<RemapRule> rules) {
		List<Fold> folds = new ArrayList<>();
		for (RemapRule rule : rules) {
			if (foldsAlone(rule)) {
				folds.add(new Fold(describeTarget(rule), List.of(rule)));
			}
		}
		folds.addAll(foldsAcrossRules(rules));
		return List.copyOf(folds);
	}

	/**
	 * A rule folds on its own when it matches several hosts and sends them to one host
	 * (same port or not, nodes in Kubernetes all listen on 6379), or matches several ports
	 * of one host and sends them to one port.
	 */
	private static boolean foldsAlone(RemapRule rule) {
		TargetTemplate target = rule.target();
		Reach reach = rule.pattern().reach();
		if (reach == Reach.MANY_HOSTS) {
			return target.hasFixedHost() && !target.hasPortFromGroup();
		}
		return reach == Reach.ONE_HOST && target.hasFixedPort();
	}

	private static List<Fold> foldsAcrossRules(List<RemapRule> rules) {
		Map<String, List<RemapRule>> byHost = new LinkedHashMap<>();
		for (RemapRule rule : rules) {
			if (rule.target().hasFixedHost() && !rule.target().hasPortFromGroup()) {
				byHost.computeIfAbsent(rule.target().fixedHost(), (host) -> new ArrayList<>()).add(rule);
			}
		}
		List<Fold> folds = new ArrayList<>();
		byHost.forEach((host, sameHost) -> folds.addAll(collisions(host, sameHost)));
		return folds;
	}

	private static List<Fold> collisions(String host, List<RemapRule> sameHost) {
		Map<Integer, Set<RemapRule>> byPort = new LinkedHashMap<>();
		for (int i = 0; i < sameHost.size(); i++) {
			for (int j = i + 1; j < sameHost.size(); j++) {
				int first = targetPort(sameHost.get(i));
				int second = targetPort(sameHost.get(j));
				if (first == ANY_PORT || second == ANY_PORT || first == second) {
					Set<RemapRule> involved = byPort.computeIfAbsent(Math.max(first, second),
							(port) -> new LinkedHashSet<>());
					involved.add(sameHost.get(i));
					involved.add(sameHost.get(j));
				}
			}
		}
		List<Fold> folds = new ArrayList<>();
		byPort.forEach((port, involved) -> folds
			.add(new Fold(host + ":" + ((port == ANY_PORT) ? "<announced port>" : port), List.copyOf(involved))));
		return folds;
	}

	private static int targetPort(RemapRule rule) {
		TargetTemplate target = rule.target();
		if (target.hasFixedPort()) {
			return target.fixedPort();
		}
		if (target.keepsAnnouncedPort() && rule.pattern() instanceof AddressPattern.Address address) {
			return address.port();
		}
		return ANY_PORT;
	}

	private static String describeTarget(RemapRule rule) {
		TargetTemplate target = rule.target();
		if (!target.hasFixedHost()) {
			return rule.to();
		}
		return target.fixedHost() + ":" + (target.hasFixedPort() ? target.fixedPort() : "<announced port>");
	}

	/**
	 * Several nodes sent to one address.
	 *
	 * @param target the shared address
	 * @param rules the rules that send them there
	 */
	record Fold(String target, List<RemapRule> rules) {

		List<String> describeRules() {
			return this.rules.stream().map(RemapRule::describe).toList();
		}

		String property() {
			return this.rules.get(0).name() + ".to";
		}

	}

}
