package io.github.redisresilience.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A self-contained SVG of a soak (no script, no font or file from elsewhere): one panel per
 * resource over the run and one of the recovery after each disruption, the disruptions marked by
 * kind in every panel and the warm-up shaded.
 */
final class SoakChart {

	private static final int WIDTH = 1000;

	private static final int LEFT = 60;

	private static final int RIGHT = 20;

	private static final int PANEL = 80;

	private static final int GAP = 22;

	private static final int HEADER = 84;

	private static final Map<SoakDisruption, String> COLORS = Map.of(SoakDisruption.ALL_PODS_MOVE, "#d62728",
			SoakDisruption.ROLLING_MOVE, "#ff7f0e", SoakDisruption.MASTER_REPLACED, "#9467bd",
			SoakDisruption.MASTER_FROZEN, "#1f77b4", SoakDisruption.NODE_LOSS, "#8c564b", SoakDisruption.SCALE_OUT,
			"#2ca02c", SoakDisruption.SCALE_IN, "#17becf", SoakDisruption.PASSWORD_ROTATION, "#e377c2");

	private SoakChart() {
	}

	static String svg(SoakResult result) {
		List<SoakResource> resources = List.of(SoakResource.values());
		int panels = resources.size() + 1;
		int height = HEADER + panels * (PANEL + GAP) + 20;
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
						+ "font-family=\"sans-serif\" font-size=\"11\">%n",
				WIDTH, height, WIDTH, height));
		out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		text(out, LEFT, 18, "bold", "Soak " + result.settings().name() + ": seed " + result.settings().seed() + ", "
				+ result.settings().duration().toMinutes() + " min, " + result.disruptions().size() + " disruptions"
				+ (result.problems().isEmpty() ? ", passed" : ", FAILED"));
		int x = LEFT;
		for (SoakDisruption disruption : SoakDisruption.values()) {
			out.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"34\" stroke=\"%s\" stroke-width=\"3\"/>%n", x, x + 16,
					COLORS.get(disruption)));
			text(out, x + 20, 38, null, disruption.id());
			x += 30 + disruption.id().length() * 7;
		}
		text(out, LEFT, 54, null, "grey: warm-up, not judged; minutes on the horizontal axis");
		long total = Math.max(1, Duration.between(result.started(), result.ended()).toMillis());
		int top = HEADER;
		for (SoakResource resource : resources) {
			List<double[]> points = new ArrayList<>();
			for (SoakSample sample : result.samples()) {
				double value = resource.of(sample);
				if (value >= 0) {
					points.add(new double[] { Duration.between(result.started(), sample.at()).toMillis(), value });
				}
			}
			panel(out, result, top, total, resource.label(), points, false);
			top += PANEL + GAP;
		}
		List<double[]> recoveries = new ArrayList<>();
		for (SoakResult.Disrupted disrupted : result.disruptions()) {
			disrupted.recovery()
				.ifPresent((recovery) -> recoveries.add(new double[] {
						Duration.between(result.started(), disrupted.applied().healed()).toMillis(),
						recovery.toMillis() / 1000.0 }));
		}
		panel(out, result, top, total, "recovery after each heal (s)", recoveries, true);
		return out.append("</svg>\n").toString();
	}

	private static void panel(StringBuilder out, SoakResult result, int top, long total, String label,
			List<double[]> points, boolean dots) {
		int plotWidth = WIDTH - LEFT - RIGHT;
		text(out, LEFT, top - 4, "bold", label);
		double warmUp = Math.min(1, result.settings().warmUp().toMillis() / (double) total);
		out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#eeeeee\"/>%n",
				LEFT, top, warmUp * plotWidth, PANEL));
		out.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999999\"/>%n", LEFT, top,
				plotWidth, PANEL));
		for (SoakResult.Disrupted disrupted : result.disruptions()) {
			double at = xOf(disrupted.applied().started(), result.started(), total, plotWidth);
			out.append(String.format(Locale.ROOT,
					"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-opacity=\"0.6\"/>%n", at, top,
					at, top + PANEL, COLORS.get(disrupted.applied().disruption())));
		}
		double max = points.stream().mapToDouble((point) -> point[1]).max().orElse(0);
		double min = points.stream().mapToDouble((point) -> point[1]).min().orElse(0);
		double low = Math.min(0, min);
		double high = (max > low) ? max * 1.05 : low + 1;
		text(out, 4, top + 10, null, SoakResource.format(high));
		text(out, 4, top + PANEL, null, SoakResource.format(low));
		StringBuilder line = new StringBuilder();
		for (double[] point : points) {
			double px = LEFT + point[0] / total * plotWidth;
			double py = top + PANEL - (point[1] - low) / (high - low) * PANEL;
			if (dots) {
				out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#333333\"/>%n", px,
						py));
			}
			else {
				line.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
			}
		}
		if (!line.isEmpty()) {
			out.append("<polyline fill=\"none\" stroke=\"#333333\" stroke-width=\"1.2\" points=\"")
				.append(line.toString().strip())
				.append("\"/>\n");
		}
		long minutes = total / 60_000;
		long step = Math.max(1, minutes / 10);
		for (long minute = 0; minute <= minutes; minute += step) {
			double px = LEFT + minute * 60_000.0 / total * plotWidth;
			text(out, (int) px - 3, top + PANEL + 12, null, Long.toString(minute));
		}
	}

	private static double xOf(Instant at, Instant start, long total, int plotWidth) {
		return LEFT + Duration.between(start, at).toMillis() / (double) total * plotWidth;
	}

	private static void text(StringBuilder out, int x, int y, @Nullable String weight, String text) {
		out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"%s>%s</text>%n", x, y,
				(weight != null) ? " font-weight=\"" + weight + "\"" : "",
				text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
	}

}
