package io.github.redisresilience.benchmarks;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.github.redisresilience.benchmarks.FleetRun.Window;

/**
 * A self-contained SVG of the fleet-cost suite (no script, no font or file from elsewhere): per
 * scenario, TLS and fleet size a panel, per client a group of bars, one per cluster size, for the
 * topology reads per client per second while degraded, with a tick for the 20 s after the heal
 * and the starter's target as a line.
 */
final class FleetCostChart {

	private static final int WIDTH = 1000;

	private static final int PANEL = 250;

	private static final int LEFT = 50;

	private static final int RIGHT = 20;

	private static final int TOP = 30;

	private static final int BOTTOM = 40;

	private static final int HEADER = 56;

	/** Light to dark with the cluster's size. */
	private static final List<String> SHADES = List.of("#9ecae1", "#4292c6", "#08519c", "#08306b");

	private FleetCostChart() {
	}

	static String svg(List<FleetRun> runs, FleetCostSettings settings) {
		List<FleetRun> fleets = runs.stream().filter((run) -> run.size() > 0).toList();
		Set<String> panels = new LinkedHashSet<>();
		fleets.forEach((run) -> panels.add(panelKey(run)));
		int height = HEADER + Math.max(1, panels.size()) * PANEL;
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
						+ "font-family=\"sans-serif\" font-size=\"11\">%n",
				WIDTH, height, WIDTH, height));
		out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		text(out, LEFT, 18, "bold 14px",
				"Topology reads per client per second while degraded, by cluster size (Lettuce clients: their own counts)");
		int x = LEFT;
		for (int i = 0; i < settings.nodes().size(); i++) {
			out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"28\" width=\"14\" height=\"10\" fill=\"%s\"/>%n", x,
					shade(i)));
			text(out, x + 18, 37, null, settings.nodes().get(i) + " nodes");
			x += 80;
		}
		text(out, x + 10, 37, null, "bar: from the disruption to the heal; black tick: the 20 s after the heal; "
				+ "red dashes: the starter's target (" + FleetCostReport.DEGRADED_READS + ")");
		int top = HEADER;
		for (String key : panels) {
			panel(out, top, key, fleets.stream().filter((run) -> panelKey(run).equals(key)).toList(), runs, settings);
			top += PANEL;
		}
		return out.append("</svg>\n").toString();
	}

	private static String panelKey(FleetRun run) {
		return run.disruption() + ", " + (run.tls() ? "TLS" : "plain") + ", " + run.size() + " clients per fleet";
	}

	private static void panel(StringBuilder out, int top, String title, List<FleetRun> fleets, List<FleetRun> all,
			FleetCostSettings settings) {
		List<ClientKind> kinds = settings.kinds().stream()
			.filter((kind) -> fleets.stream().anyMatch((run) -> run.kind() == kind))
			.toList();
		double max = FleetCostReport.DEGRADED_READS * 1.25;
		for (FleetRun run : fleets) {
			FleetRun kit = FleetCostReport.kitOf(all, run);
			max = Math.max(max, run.degraded(run.reads(), run.kitForReads(kit)));
		}
		double yMax = niceCeiling(max * 1.1);
		int plotTop = top + TOP;
		int plotHeight = PANEL - TOP - BOTTOM;
		int plotWidth = WIDTH - LEFT - RIGHT;
		text(out, LEFT, top + 18, "bold 12px", title);
		out.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, plotTop,
				plotWidth, plotHeight));
		for (int tick = 0; tick <= 4; tick++) {
			double value = yMax * tick / 4.0;
			double y = y(value, yMax, plotTop, plotHeight);
			out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
					LEFT, y, LEFT + plotWidth, y));
			text(out, LEFT - 34, y + 4, null, FleetCostReport.format(value));
		}
		double target = y(FleetCostReport.DEGRADED_READS, yMax, plotTop, plotHeight);
		out.append(String.format(Locale.ROOT,
				"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d62728\" stroke-dasharray=\"6,4\"/>%n", LEFT,
				target, LEFT + plotWidth, target));
		if (kinds.isEmpty()) {
			return;
		}
		double group = (double) plotWidth / kinds.size();
		int sizes = settings.nodes().size();
		double bar = Math.min(40, group * 0.7 / sizes);
		for (int k = 0; k < kinds.size(); k++) {
			ClientKind kind = kinds.get(k);
			double groupLeft = LEFT + k * group + (group - bar * sizes) / 2;
			for (int n = 0; n < sizes; n++) {
				int nodes = settings.nodes().get(n);
				FleetRun run = fleets.stream()
					.filter((one) -> one.kind() == kind && one.nodes() == nodes)
					.findFirst()
					.orElse(null);
				if (run == null) {
					continue;
				}
				FleetRun kit = FleetCostReport.kitOf(all, run);
				double during = run.perClient(run.reads(), Window.DURING, run.kitForReads(kit));
				during = Double.isNaN(during) ? 0 : during;
				double after = run.perClient(run.reads(), Window.AFTER, run.kitForReads(kit));
				after = Double.isNaN(after) ? 0 : after;
				double left = groupLeft + n * bar;
				double barTop = y(during, yMax, plotTop, plotHeight);
				out.append(String.format(Locale.ROOT,
						"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s, %d nodes: %s during, %s after</title></rect>%n",
						left + 1, barTop, bar - 2, plotTop + plotHeight - barTop, shade(n), kind.label(), nodes,
						FleetCostReport.format(during), FleetCostReport.format(after)));
				double tick = y(after, yMax, plotTop, plotHeight);
				out.append(String.format(Locale.ROOT,
						"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" stroke-width=\"2\"/>%n",
						left + 2, tick, left + bar - 2, tick));
				text(out, left + 2, barTop - 3, null, FleetCostReport.format(during));
			}
			text(out, LEFT + k * group + group / 2 - kind.label().length() * 3, plotTop + plotHeight + 16, "bold 11px",
					kind.label());
		}
	}

	private static double y(double value, double yMax, int plotTop, int plotHeight) {
		return plotTop + plotHeight - Math.min(value, yMax) / yMax * plotHeight;
	}

	private static double niceCeiling(double value) {
		double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (step * magnitude >= value) {
				return step * magnitude;
			}
		}
		return 10 * magnitude;
	}

	private static String shade(int index) {
		return SHADES.get(Math.min(index, SHADES.size() - 1));
	}

	private static void text(StringBuilder out, double x, double y, @Nullable String font, String text) {
		String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
		out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n", x, y,
				(font != null) ? " style=\"font:" + font + " sans-serif\"" : "", escaped));
	}

}
