package io.github.redisresilience.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's property table lists every property the configuration metadata (generated from
 * the property classes) has, and nothing else.
 */
class ReadmePropertiesTests {

	private static final Pattern FIRST_CELL = Pattern.compile("^\\| (`(redis\\.resilience|management)\\.[^|]+)\\|");

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	@Test
	void readmeTableListsExactlyTheConfigurationProperties() throws IOException {
		assertThat(documentedProperties()).containsExactlyInAnyOrderElementsOf(metadataProperties());
	}

	private static Set<String> metadataProperties() throws IOException {
		Set<String> names = new HashSet<>();
		try (InputStream in = ReadmePropertiesTests.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			JsonNode metadata = JsonMapper.builder().build().readTree(in);
			metadata.get("properties").forEach((property) -> names.add(property.get("name").asString()));
		}
		return names;
	}

	/**
	 * The rows of the table under "## Configuration" (up to its first subsection): each names a
	 * property, then sibling properties as {@code `.suffix`}.
	 */
	private static List<String> documentedProperties() throws IOException {
		List<String> names = new ArrayList<>();
		List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
		int start = lines.indexOf("## Configuration");
		assertThat(start).as("README has a Configuration section").isNotNegative();
		for (String line : lines.subList(start + 1, lines.size())) {
			if (line.startsWith("#")) {
				break;
			}
			Matcher row = FIRST_CELL.matcher(line);
			if (!row.find()) {
				continue;
			}
			String parent = null;
			Matcher code = CODE.matcher(row.group(1));
			while (code.find()) {
				String name = code.group(1);
				if (name.startsWith(".") && parent != null) {
					names.add(parent + name);
				}
				else {
					names.add(name);
					parent = name.substring(0, name.lastIndexOf('.'));
				}
			}
		}
		return names;
	}

}
