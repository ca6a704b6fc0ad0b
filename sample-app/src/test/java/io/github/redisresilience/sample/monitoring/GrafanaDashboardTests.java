package io.github.redisresilience.sample.monitoring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.github.redisresilience.sample.monitoring.MonitoringFiles.PanelQuery;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's shape: importable as is (no {@code __inputs} to fill in, a data source variable
 * instead), templated by {@code application} and {@code instance}, and every query filtered by both.
 * Whether its queries return data is {@link PrometheusAlertsIT}'s business.
 */
class GrafanaDashboardTests {

	private static final Pattern SELECTOR = Pattern.compile("\\b(redis_resilience_[a-z_]+|lettuce_[a-z_]+)\\{([^}]*)\\}");

	private final JsonNode dashboard = MonitoringFiles.dashboard();

	@Test
	void isTemplatedByDataSourceApplicationAndInstance() {
		List<String> variables = new ArrayList<>();
		this.dashboard.get("templating").get("list").forEach((variable) -> variables.add(variable.get("name").asString()));
		assertThat(variables).containsExactly("datasource", "application", "instance");
		assertThat(this.dashboard.has("__inputs")).isFalse();
	}

	@Test
	void everyQueryUsesTheDataSourceVariableAndFiltersByApplicationAndInstance() {
		for (JsonNode panel : this.dashboard.get("panels")) {
			if (!panel.has("targets")) {
				continue;
			}
			assertThat(panel.get("datasource").get("uid").asString()).as(panel.get("title").asString())
				.isEqualTo("${datasource}");
			for (JsonNode target : panel.get("targets")) {
				String expr = target.get("expr").asString();
				Matcher selectors = SELECTOR.matcher(expr);
				int filtered = 0;
				while (selectors.find()) {
					assertThat(selectors.group(2)).as(expr)
						.contains("application=~\"$application\"", "instance=~\"$instance\"");
					filtered++;
				}
				assertThat(filtered).as("every meter in %s filtered", expr)
					.isEqualTo(expr.split("\\b(redis_resilience_|lettuce_)", -1).length - 1);
				assertThat(target.get("datasource").get("uid").asString()).isEqualTo("${datasource}");
			}
		}
	}

	@Test
	void panelIdsAreUnique() {
		Set<Integer> ids = new HashSet<>();
		this.dashboard.get("panels").forEach((panel) -> assertThat(ids.add(panel.get("id").asInt())).isTrue());
	}

	@Test
	void everyMeterQueriedIsOneOfTheStartersOrLettuces() {
		for (PanelQuery query : MonitoringFiles.panelQueries(".*", ".*", "1m")) {
			assertThat(MonitoringFiles.metricNamesIn(query.expr())).as(query.toString()).isNotEmpty();
		}
	}

}
