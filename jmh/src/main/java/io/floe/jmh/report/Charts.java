package io.floe.jmh.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the report's charts with XChart: for each benchmark class and unit, a bar chart of scores
 * with error bars, one bar series per peer (the {@code peer} parameter, or the method when there is
 * none); and for sample-time results a chart of latency percentiles.
 */
public final class Charts {
    private static final String[] PERCENTILES = {"50.0", "90.0", "99.0", "99.9", "99.99"};

    private Charts() {
    }

    /** Writes the charts into {@code dir} and returns their file names by benchmark class. */
    public static Map<String, List<String>> write(List<BenchResult> results, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<String>> files = new LinkedHashMap<>();
        Map<String, List<BenchResult>> groups = new LinkedHashMap<>();
        // One chart per benchmark method: methods of one class can differ by orders of magnitude.
        for (BenchResult r : results) {
            groups.computeIfAbsent(r.shortName() + "|" + r.unit(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<BenchResult>> g : groups.entrySet()) {
            List<BenchResult> rs = g.getValue();
            String cls = rs.get(0).className();
            String name = rs.get(0).shortName().replace('.', '-') + ".png";
            BitmapEncoder.saveBitmap(bars(rs.get(0).shortName(), rs), dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
            files.computeIfAbsent(cls, k -> new ArrayList<>()).add(name);
            List<BenchResult> sampled = rs.stream().filter(r -> !r.percentiles().isEmpty()).toList();
            if (!sampled.isEmpty()) {
                String pname = rs.get(0).shortName().replace('.', '-') + "-percentiles.png";
                BitmapEncoder.saveBitmap(percentiles(cls, sampled), dir.resolve(pname).toString(), BitmapEncoder.BitmapFormat.PNG);
                files.get(cls).add(pname);
            }
        }
        return files;
    }

    private static CategoryChart bars(String cls, List<BenchResult> rs) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(cls)
                .yAxisTitle(rs.get(0).unit() + (rs.get(0).higherIsBetter() ? " (higher is better)" : " (lower is better)")).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setErrorBarsColor(java.awt.Color.DARK_GRAY);
        // Categories: method plus every parameter but 'peer'; series: the peer.
        Map<String, Map<String, BenchResult>> bySeries = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        for (BenchResult r : rs) {
            String series = r.params().getOrDefault("peer", "floe");
            StringBuilder cat = new StringBuilder(r.shortName().substring(r.shortName().indexOf('.') + 1));
            r.params().forEach((k, v) -> {
                if (!k.equals("peer")) {
                    cat.append(' ').append(k).append('=').append(v);
                }
            });
            if (!categories.contains(cat.toString())) {
                categories.add(cat.toString());
            }
            bySeries.computeIfAbsent(series, k -> new LinkedHashMap<>()).put(cat.toString(), r);
        }
        for (Map.Entry<String, Map<String, BenchResult>> s : bySeries.entrySet()) {
            List<Double> ys = new ArrayList<>();
            List<Double> errs = new ArrayList<>();
            for (String c : categories) {
                BenchResult r = s.getValue().get(c);
                ys.add(r == null ? 0.0 : r.score());
                errs.add(r == null || Double.isNaN(r.error()) ? 0.0 : r.error());
            }
            chart.addSeries(s.getKey(), categories, ys, errs);
        }
        return chart;
    }

    private static CategoryChart percentiles(String cls, List<BenchResult> rs) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(cls + " latency percentiles")
                .xAxisTitle("percentile").yAxisTitle(rs.get(0).unit() + " (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        List<String> labels = new ArrayList<>();
        for (String p : PERCENTILES) {
            labels.add("p" + p.replaceAll("\\.0$", ""));
        }
        for (BenchResult r : rs) {
            List<Double> ys = new ArrayList<>();
            for (String p : PERCENTILES) {
                ys.add(Math.max(1e-3, r.percentiles().getOrDefault(p, 1e-3)));
            }
            String label = r.shortName().substring(r.shortName().indexOf('.') + 1) + (r.paramText().isEmpty() ? "" : " " + r.paramText());
            chart.addSeries(label, labels, ys);
        }
        return chart;
    }
}
