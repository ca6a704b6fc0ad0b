package io.github.redisresilience.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

/**
 * Self-contained SVG timelines (no script, no font or file from elsewhere): per scenario one
 * panel per repetition, successful operations per 100 ms as a solid line and failed ones as a
 * dashed line per client, with the disruption, the promotion, the heal and a resume marked.
 */
final class TimelineChart {

	private static final int WIDTH = 1000;

	private static final int PANEL = 230;

	private static final int LEFT = 50;

	private static final int RIGHT = 20;

	private static final int TOP = 30;

	private static final int BOTTOM = 30;

	private static final int HEADER = 50;

	private static final Map<ClientKind, String> COLORS = Map.of(ClientKind.STARTER, "#2ca02c",
			ClientKind.STARTER_EXACTLY_ONCE, "#17becf", ClientKind.STOCK_BOOT, "#d62728", ClientKind.BOOT_REFRESH,
			"#ff7f0e", ClientKind.BOOT_JEDIS, "#1f77b4", ClientKind.REDISSON, "#9467bd");

	private TimelineChart() {
	}

	static String svg(Scenario scenario, List<RunResult> runs, Settings settings) {
		Map<Integer, List<RunResult>> byRepetition = new TreeMap<>();
		runs.forEach((run) -> byRepetition.computeIfAbsent(run.repetition(), (key) -> new ArrayList<>()).add(run));
		int height = HEADER + byRepetition.size() * PANEL;
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
						+ "font-family=\"sans-serif\" font-size=\"11\">%n",
				WIDTH, height, WIDTH, height));
		out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		text(out, LEFT, 18, "bold 14px", scenario.id() + ": " + scenario.description());
		int x = LEFT;
		for (ClientKind client : settings.clients()) {
			String color = COLORS.get(client);
			out.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"34\" x2=\"%d\" y2=\"34\" stroke=\"%s\" stroke-width=\"3\"/>%n", x, x + 20, color));
			text(out, x + 24, 38, null, client.label());
			x += 40 + client.label().length() * 7;
		}
		text(out, x + 10, 38, null, "solid: ok, dashed: failed operations per 100 ms (by start time)");
		int top = HEADER;
		for (Map.Entry<Integer, List<RunResult>> entry : byRepetition.entrySet()) {
			panel(out, top, entry.getKey(), entry.getValue(), settings);
			top += PANEL;
		}
		return out.append("</svg>\n").toString();
	}

	private static void panel(StringBuilder out, int top, int repetition, List<RunResult> runs, Settings settings) {
		List<RunResult> started = runs.stream().filter(RunResult::started).toList();
		double bucket = RunResult.BUCKET.toMillis() / 1000.0;
		int from = (int) Math.floor(started.stream().mapToInt(RunResult::firstBucket).min().orElse(0) * bucket);
		int to = (int) Math.ceil(started.stream()
			.mapToInt((run) -> run.firstBucket() + run.ok().length)
			.max()
			.orElse(0) * bucket);
		to = Math.max(to, from + 1);
		int yMax = Math.max((int) Math.ceil(settings.threads() * settings.rate() * bucket), started.stream()
			.flatMapToInt((run) -> IntStream.range(0, run.ok().length)
				.map((i) -> Math.max(run.ok()[i], run.failedPerBucket()[i])))
			.max()
			.orElse(1));
		int plotTop = top + TOP;
		int plotHeight = PANEL - TOP - BOTTOM;
		int plotWidth = WIDTH - LEFT - RIGHT;
		int first = from;
		double span = to - from;
		DoubleUnaryOperator sx = (second) -> LEFT + (second - first) / span * plotWidth;
		DoubleUnaryOperator sy = (value) -> plotTop + plotHeight - value / yMax * plotHeight;
		RunResult any = runs.get(0);
		text(out, LEFT, top + 18, "bold 12px", String.format(Locale.ROOT, "run %d: cluster %s after %s s", repetition,
				any.healLabel(), Report.seconds(any.unhealthy())));
		out.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, plotTop,
				plotWidth, plotHeight));
		for (int tick = 0; tick <= 4; tick++) {
			double value = yMax * tick / 4.0;
			double y = sy.applyAsDouble(value);
			out.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, y, LEFT + plotWidth, y));
			text(out, LEFT - 30, y + 4, null, Long.toString(Math.round(value)));
		}
		int step = (span > 60) ? 10 : 5;
		for (int second = (int) Math.ceil(from / (double) step) * step; second <= to; second += step) {
			double px = sx.applyAsDouble(second);
			out.append(String.format(Locale.ROOT,
					"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", px, plotTop, px,
					plotTop + plotHeight));
			text(out, px - 6, plotTop + plotHeight + 14, null, second + "s");
		}
		marker(out, sx.applyAsDouble(0), plotTop, plotHeight, 12, "#555", "disruption");
		marker(out, sx.applyAsDouble(any.unhealthy().toMillis() / 1000.0), plotTop, plotHeight, 26, "#000",
				any.healLabel());
		if (any.promoted() != null && !any.promoted().equals(any.unhealthy())) {
			marker(out, sx.applyAsDouble(any.promoted().toMillis() / 1000.0), plotTop, plotHeight, 40, "#c60",
					"promoted");
		}
		if (any.resumed() != null) {
			marker(out, sx.applyAsDouble(any.resumed().toMillis() / 1000.0), plotTop, plotHeight, 54, "#08c", "resumed");
		}
		// The starter last, so that it is drawn on top.
		List<RunResult> ordered = started.stream()
			.sorted(Comparator.comparing((RunResult run) -> run.client().isStarter()))
			.toList();
		for (RunResult run : ordered) {
			String color = COLORS.get(run.client());
			polyline(out, run, run.ok(), sx, sy, color, run.client().isStarter() ? 2.0 : 1.2, null);
			polyline(out, run, run.failedPerBucket(), sx, sy, color, 1.2, "5,3");
		}
		text(out, LEFT + plotWidth - 390, plotTop + plotHeight + 26, null,
				"seconds from the disruption's start; operations per 100 ms per client");
	}

	private static void polyline(StringBuilder out, RunResult run, int[] values,
			DoubleUnaryOperator sx, DoubleUnaryOperator sy, String color,
			double width, @Nullable String dash) {
		StringBuilder points = new StringBuilder();
		for (int i = 0; i < values.length; i++) {
			// A point inside a flat stretch adds nothing to the line: left out, the file stays small.
			if (i > 0 && i < values.length - 1 && values[i - 1] == values[i] && values[i + 1] == values[i]) {
				continue;
			}
			// Each count covers a whole bucket: drawn at its middle.
			double second = (run.firstBucket() + i + 0.5) * RunResult.BUCKET.toMillis() / 1000.0;
			points.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx.applyAsDouble(second), sy.applyAsDouble(values[i])));
		}
		out.append(String.format(Locale.ROOT,
				"<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n", points.toString().strip(),
				color, width, (dash != null) ? " stroke-dasharray=\"" + dash + "\"" : ""));
	}

	private static void marker(StringBuilder out, double x, int top, int height, int labelOffset, String color,
			String label) {
		out.append(String.format(Locale.ROOT,
				"<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-dasharray=\"2,2\"/>%n", x, top, x,
				top + height, color));
		text(out, x + 3, top + labelOffset, null, label);
	}

	private static void text(StringBuilder out, double x, double y, @Nullable String font, String text) {
		String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
		out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>%n", x, y,
				(font != null) ? " style=\"font:" + font + " sans-serif\"" : "", escaped));
	}

	/** One page with the table and every chart inlined: opens offline in any browser. */
	static String html(String table, List<String> charts) {
		StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
				+ "<title>Resilience benchmark</title></head><body style=\"font-family:sans-serif\">\n"
				+ "<h1>Resilience benchmark</h1>\n<pre>");
		out.append(table.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).append("</pre>\n");
		charts.forEach((chart) -> out.append("<div>").append(chart).append("</div>\n"));
		return out.append("</body></html>\n").toString();
	}

}
