package io.github.redisresilience.sample.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.yaml.snakeyaml.Yaml;

/**
 * The files of the repository's {@code monitoring/} folder and the sample's {@code PrometheusRule}
 * manifest, and what the tests read from them: rule groups, alert names, meter names, panel queries.
 */
final class MonitoringFiles {

	/** The sample's module directory; Maven runs tests there. */
	static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();

	static final Path RULES = MODULE.resolveSibling("monitoring/prometheus/rules.yml");

	static final Path RULE_TESTS = MODULE.resolveSibling("monitoring/prometheus/rules.test.yml");

	static final Path DASHBOARD = MODULE.resolveSibling("monitoring/grafana/dashboard.json");

	static final Path PROMETHEUS_RULE_MANIFEST = MODULE.resolve("k8s/prometheus-rule.yaml");

	/** Prometheus names of the starter's meters and of Micrometer's Lettuce observation timer. */
	private static final Pattern METRIC = Pattern.compile("\\b(redis_resilience_[a-z_]+|lettuce_[a-z_]+)\\b");

	private MonitoringFiles() {
	}

	/**
	 * The rule groups of {@code rules.yml}, as parsed YAML.
	 * @return the value of {@code groups}
	 */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> ruleGroups() {
		Map<String, Object> document = new Yaml().load(read(RULES));
		return (List<Map<String, Object>>) document.get("groups");
	}

	/**
	 * Every rule of every group.
	 * @return the rules, as parsed YAML
	 */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> rules() {
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Map<String, Object> group : ruleGroups()) {
			rules.addAll((List<Map<String, Object>>) group.get("rules"));
		}
		return rules;
	}

	static Set<String> alertNames() {
		Set<String> names = new TreeSet<>();
		rules().forEach((rule) -> names.add((String) rule.get("alert")));
		return names;
	}

	/**
	 * The queries of every dashboard panel, with the template variables as given.
	 * @param application the value of {@code $application}
	 * @param instance the value of {@code $instance}
	 * @param rateInterval the value of {@code $__rate_interval}
	 * @return panel title to its queries
	 */
	static List<PanelQuery> panelQueries(String application, String instance, String rateInterval) {
		List<PanelQuery> queries = new ArrayList<>();
		for (JsonNode panel : dashboard().get("panels")) {
			JsonNode targets = panel.get("targets");
			if (targets == null) {
				continue;
			}
			for (JsonNode target : targets) {
				String expr = target.get("expr").asString()
					.replace("$application", application)
					.replace("$instance", instance)
					.replace("$__rate_interval", rateInterval);
				queries.add(new PanelQuery(panel.get("title").asString(), target.get("refId").asString(), expr));
			}
		}
		return queries;
	}

	static JsonNode dashboard() {
		return JsonMapper.builder().build().readTree(read(DASHBOARD));
	}

	/**
	 * The meter names the rules and the dashboard query.
	 * @return Prometheus metric names, suffixes included
	 */
	static Set<String> metricNames() {
		Set<String> names = new TreeSet<>();
		rules().forEach((rule) -> names.addAll(metricNamesIn((String) rule.get("expr"))));
		panelQueries("", "", "1m").forEach((query) -> names.addAll(metricNamesIn(query.expr())));
		return names;
	}

	static Set<String> metricNamesIn(String expression) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = METRIC.matcher(expression);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One query of a dashboard panel.
	 * @param panel the panel's title
	 * @param refId the query's id in the panel
	 * @param expr the PromQL expression, template variables replaced
	 */
	record PanelQuery(String panel, String refId, String expr) {

		@Override
		public String toString() {
			return this.panel + " [" + this.refId + "]: " + this.expr;
		}

	}

}
