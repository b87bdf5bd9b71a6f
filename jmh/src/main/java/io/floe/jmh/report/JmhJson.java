package io.floe.jmh.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the JSON that JMH writes with {@code -rf json}. */
public final class JmhJson {
    private JmhJson() {
    }

    /** Returns the results in {@code file}. Throws {@link IOException} if it is not JMH's JSON. */
    public static List<BenchResult> read(Path file) throws IOException {
        return parse(new ObjectMapper().readTree(file.toFile()), file.toString());
    }

    /** Returns the results in the JSON text {@code json}. */
    public static List<BenchResult> parse(String json) throws IOException {
        return parse(new ObjectMapper().readTree(json), "JSON text");
    }

    private static List<BenchResult> parse(JsonNode root, String source) throws IOException {
        if (!root.isArray()) {
            throw new IOException(source + " is not JMH's JSON result (expected an array of results)");
        }
        List<BenchResult> results = new ArrayList<>();
        for (JsonNode r : root) {
            JsonNode primary = r.path("primaryMetric");
            if (!r.has("benchmark") || primary.isMissingNode()) {
                throw new IOException(source + ": a result without benchmark or primaryMetric");
            }
            TreeMap<String, String> params = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> p = r.path("params").fields();
            while (p.hasNext()) {
                Map.Entry<String, JsonNode> e = p.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            Map<String, Double> percentiles = new LinkedHashMap<>();
            // JMH gives percentiles for every mode, but only in sample mode are they of single
            // operations (latencies); elsewhere they are of iteration scores, which say nothing
            // about the tail.
            Iterator<Map.Entry<String, JsonNode>> q = "sample".equals(r.path("mode").asText())
                    ? primary.path("scorePercentiles").fields() : java.util.Collections.emptyIterator();
            while (q.hasNext()) {
                Map.Entry<String, JsonNode> e = q.next();
                percentiles.put(e.getKey(), e.getValue().asDouble());
            }
            JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
            results.add(new BenchResult(r.get("benchmark").asText(), r.path("mode").asText(), r.path("threads").asInt(1), params,
                    primary.path("score").asDouble(Double.NaN), error(primary), primary.path("scoreUnit").asText(),
                    alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble(Double.NaN), percentiles,
                    r.path("jdkVersion").asText("?") + " " + r.path("vmName").asText("")));
        }
        return results;
    }

    /**
     * Returns JMH's error of the score or, when JMH gives none (it writes "NaN" as a string for one
     * or two iterations, as in {@code --quick} runs), the largest distance from the score to one
     * iteration's score, so that a ratio of quick results still shows their spread; NaN for a
     * single iteration.
     */
    private static double error(JsonNode primary) {
        JsonNode n = primary.path("scoreError");
        if (n.isNumber() && !Double.isNaN(n.asDouble())) {
            return n.asDouble();
        }
        double score = primary.path("score").asDouble(Double.NaN);
        double spread = Double.NaN;
        int samples = 0;
        for (JsonNode fork : primary.path("rawData")) {
            for (JsonNode v : fork) {
                samples++;
                double d = Math.abs(v.asDouble() - score);
                spread = Double.isNaN(spread) ? d : Math.max(spread, d);
            }
        }
        return samples >= 2 ? spread : Double.NaN;
    }
}
