package io.github.redisresilience.sample.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules under promtool ({@code check rules}, and {@code test rules} with
 * {@code rules.test.yml}: each alert fires on a lasting failure's series and not on the short
 * disruptions measured on the test kit), their shape, and the {@code PrometheusRule} manifest
 * holding the same rules. Without promtool the promtool tests are skipped, or fail with
 * {@code -Dredis.require=prometheus} (as on CI).
 */
class PrometheusRulesTests {

	@Test
	void rulesPassPromtoolCheck() throws Exception {
		Result result = promtool("check", "rules", MonitoringFiles.RULES.toString());
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void everyAlertPassesItsPromtoolUnitTests() throws Exception {
		Result result = promtool("test", "rules", MonitoringFiles.RULE_TESTS.toString());
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void everyAlertHasAUnitTestThatFiresAndOneThatStaysQuiet() {
		String tests = MonitoringFiles.read(MonitoringFiles.RULE_TESTS);
		Map<String, Object> document = new Yaml().load(tests);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> cases = (List<Map<String, Object>>) document.get("tests");
		for (String alert : MonitoringFiles.alertNames()) {
			assertThat(cases).as("a test where %s fires", alert).anySatisfy((test) -> assertThat(checks(test, alert))
				.anySatisfy((check) -> assertThat((List<?>) check.get("exp_alerts")).isNotEmpty()));
			assertThat(cases).as("a test where %s stays quiet throughout", alert)
				.anySatisfy((test) -> assertThat(checks(test, alert)).isNotEmpty()
					.allSatisfy((check) -> assertThat((List<?>) check.get("exp_alerts")).isEmpty()));
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> checks(Map<String, Object> test, String alert) {
		return ((List<Map<String, Object>>) test.get("alert_rule_test")).stream()
			.filter((check) -> alert.equals(check.get("alertname")))
			.toList();
	}

	@Test
	@SuppressWarnings("unchecked")
	void everyAlertHasForSeveritySummaryAndADescriptionLinkingTheReadme() {
		String readme = MonitoringFiles.read(MonitoringFiles.MODULE.resolveSibling("README.md"));
		for (Map<String, Object> rule : MonitoringFiles.rules()) {
			String alert = (String) rule.get("alert");
			assertThat(rule).as(alert).containsKey("for");
			assertThat((Map<String, Object>) rule.get("labels")).as(alert).containsKey("severity");
			Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
			assertThat(annotations).as(alert).containsKeys("summary", "description", "runbook_url");
			String anchor = annotations.get("runbook_url").replaceFirst(".*#", "");
			assertThat(annotations.get("description")).as(alert).endsWith("#" + anchor);
			assertThat(readme).as("the README's troubleshooting row for %s", alert)
				.contains("<a id=\"" + anchor + "\"></a>");
		}
	}

	@Test
	void prometheusRuleManifestHoldsTheSameRules() {
		Map<String, Object> manifest = new Yaml().load(MonitoringFiles.read(MonitoringFiles.PROMETHEUS_RULE_MANIFEST));
		assertThat(manifest).containsEntry("kind", "PrometheusRule");
		@SuppressWarnings("unchecked")
		Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
		assertThat(spec.get("groups")).isEqualTo(MonitoringFiles.ruleGroups());
	}

	private static Result promtool(String... arguments) throws IOException, InterruptedException {
		Path binary = Executables.require("promtool");
		List<String> command = new ArrayList<>(List.of(binary.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(MonitoringFiles.RULES.getParent().toFile())
			.redirectErrorStream(true)
			.start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("promtool did not finish within 60 s");
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	private record Result(int exitCode, String output) {
	}

}
