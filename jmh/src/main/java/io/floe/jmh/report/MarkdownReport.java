package io.floe.jmh.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders results and goal outcomes as Markdown: a goals table, Floe's ratio to every peer measured
 * ({@link PeerRatios}), then one table (and chart) per benchmark class.
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    /**
     * Returns the report.
     *
     * @param title    the heading
     * @param machine  a line saying the machine (cores, JDK, OS) and the date
     * @param command  the command that produced the results
     * @param charts   the chart file names that exist, by benchmark class (may be empty)
     */
    public static String render(String title, String machine, String command, List<BenchResult> results, List<GoalCheck.Outcome> outcomes,
            Map<String, List<String>> charts) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append(machine).append("\n\n");
        md.append("Produced by:\n\n```\n").append(command).append("\n```\n\n");
        // Goals of suites that were not part of this run are left out, not reported as "not run".
        Set<String> ran = classes(results);
        outcomes = outcomes.stream().filter(o -> ran.contains(selectorClass(o.goal().floe()))).toList();
        if (!outcomes.isEmpty()) {
            md.append("## Goals\n\n");
            md.append("Ratios are Floe against the peer measured in the same run (time per operation: peer / Floe; throughput: Floe / peer). ")
                    .append("The range carries both results' 99.9% error (for runs of two iterations, such as --quick, their spread); a goal *holds* when even the unfavourable end meets it, ")
                    .append("and is *within noise* when the range straddles it.\n\n");
            md.append("| goal | Floe | peer | measured | range | target | verdict |\n|---|---|---|---|---|---|---|\n");
            for (GoalCheck.Outcome o : outcomes) {
                md.append("| ").append(o.goal().text()).append(o.variant().isEmpty() ? "" : " [" + o.variant() + "]").append(" | ").append(cell(o.floe())).append(" | ").append(cell(o.peer())).append(" | ")
                        .append(measured(o)).append(" | ").append(range(o)).append(" | ").append(target(o.goal())).append(" | **")
                        .append(o.verdict()).append("** |\n");
            }
            md.append('\n');
        }
        List<PeerRatios.Row> ratios = PeerRatios.of(results);
        if (!ratios.isEmpty()) {
            md.append("## Floe beside its peers\n\n");
            md.append("Every result of a peer beside Floe's result with the same parameters, measured in the same run: how many times ")
                    .append("better Floe is (time per operation: peer / Floe; throughput: Floe / peer; above 1 Floe is ahead). ")
                    .append("The range carries both results' 99.9% error (for runs of two iterations, such as --quick, their spread).\n\n");
            md.append("| benchmark | params | peer | Floe | peer's | Floe vs peer | range |\n|---|---|---|---|---|---|---|\n");
            for (PeerRatios.Row r : ratios) {
                md.append("| ").append(r.floe().shortName()).append(" | ").append(r.sharedParams()).append(" | ")
                        .append(r.peer().params().get(PeerRatios.PEER)).append(" | ").append(cell(r.floe())).append(" | ").append(cell(r.peer()))
                        .append(" | ").append(String.format(Locale.ROOT, "%.2fx", r.ratio())).append(" | ").append(bounds(r.low(), r.high()))
                        .append(" |\n");
            }
            md.append('\n');
        }
        Map<String, List<BenchResult>> byClass = new LinkedHashMap<>();
        for (BenchResult r : results) {
            byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<BenchResult>> e : byClass.entrySet()) {
            md.append("## ").append(e.getKey()).append("\n\n");
            boolean alloc = e.getValue().stream().anyMatch(r -> !Double.isNaN(r.allocPerOp()));
            boolean pct = e.getValue().stream().anyMatch(r -> !r.percentiles().isEmpty());
            md.append("| benchmark | params | threads | mode | score | ± error | unit").append(alloc ? " | alloc B/op" : "")
                    .append(pct ? " | p50 | p99 | p99.9 | p99.99" : "").append(" |\n|---|---|---|---|---|---|---")
                    .append(alloc ? "|---" : "").append(pct ? "|---|---|---|---" : "").append("|\n");
            for (BenchResult r : e.getValue()) {
                md.append("| ").append(r.shortName().substring(r.shortName().indexOf('.') + 1)).append(" | ").append(r.paramText()).append(" | ")
                        .append(r.threads()).append(" | ").append(r.mode()).append(" | ").append(num(r.score())).append(" | ")
                        .append(num(r.error())).append(" | ").append(r.unit());
                if (alloc) {
                    md.append(" | ").append(num(r.allocPerOp()));
                }
                if (pct) {
                    for (String p : new String[] {"50.0", "99.0", "99.9", "99.99"}) {
                        Double v = r.percentiles().get(p);
                        md.append(" | ").append(v == null ? "" : num(v));
                    }
                }
                md.append(" |\n");
            }
            md.append('\n');
            for (String chart : charts.getOrDefault(e.getKey(), List.of())) {
                md.append("![").append(e.getKey()).append("](").append(chart).append(")\n\n");
            }
        }
        return md.toString();
    }

    private static String cell(BenchResult r) {
        if (r == null) {
            return "—";
        }
        return num(r.score()) + " " + r.unit();
    }

    private static String measured(GoalCheck.Outcome o) {
        if (Double.isNaN(o.measured())) {
            return "—";
        }
        return switch (o.goal().kind()) {
            case RATIO -> String.format(Locale.ROOT, "%.2fx", o.measured());
            case ALLOC -> num(o.measured()) + " B/op";
            case PERCENTILE -> "p" + o.goal().percentile() + " = " + num(o.measured()) + " " + o.floe().unit();
        };
    }

    private static String range(GoalCheck.Outcome o) {
        if (o.goal().kind() != Goal.Kind.RATIO || Double.isNaN(o.low())) {
            return "";
        }
        return bounds(o.low(), o.high());
    }

    private static String bounds(double low, double high) {
        return String.format(Locale.ROOT, "%.2f", low) + "–" + (Double.isInfinite(high) ? "∞" : String.format(Locale.ROOT, "%.2f", high));
    }

    private static String target(Goal g) {
        return switch (g.kind()) {
            case RATIO -> "≥ " + num(g.target()) + "x";
            case ALLOC -> "≤ " + num(g.target()) + " B/op";
            case PERCENTILE -> "p" + g.percentile() + " ≤ " + num(g.target());
        };
    }

    /** Formats a number with three significant digits (more for large values), "—" for NaN. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "-∞";
        }
        double a = Math.abs(v);
        if (a >= 100 || a == 0) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String selectorClass(Goal.Selector s) {
        String b = s.benchmark();
        int method = b.lastIndexOf('.');
        return b.substring(b.lastIndexOf('.', method - 1) + 1, method);
    }

    static Set<String> classes(List<BenchResult> results) {
        Set<String> s = new java.util.LinkedHashSet<>();
        results.forEach(r -> s.add(r.className()));
        return s;
    }
}
