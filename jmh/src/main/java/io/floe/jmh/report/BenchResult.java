package io.floe.jmh.report;

import java.util.Map;
import java.util.SortedMap;

/**
 * One JMH result: a benchmark method with one set of parameters.
 *
 * @param benchmark   the full name, {@code package.Class.method}
 * @param mode        JMH's mode: thrpt, avgt, sample, ss
 * @param threads     benchmark threads
 * @param params      the {@code @Param} values
 * @param score       the primary score
 * @param error       the 99.9% confidence half-width of the score; when JMH gave none (one or two
 *                    iterations), the largest distance from the score to an iteration's; NaN for one iteration
 * @param unit        the score's unit, e.g. ops/us or ns/op
 * @param allocPerOp  bytes allocated per operation (gc.alloc.rate.norm), NaN without {@code -prof gc}
 * @param percentiles score percentiles of sample-time results ("99.0" to value), else empty
 * @param jdk         the JDK that ran it
 */
public record BenchResult(String benchmark, String mode, int threads, SortedMap<String, String> params, double score, double error,
                          String unit, double allocPerOp, Map<String, Double> percentiles, String jdk) {

    /** Returns {@code Class.method}. */
    public String shortName() {
        int method = benchmark.lastIndexOf('.');
        int cls = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(cls + 1);
    }

    /** Returns the benchmark class's simple name. */
    public String className() {
        String s = shortName();
        return s.substring(0, s.indexOf('.'));
    }

    /** Returns iff a higher score is better (throughput), rather than lower (time per operation). */
    public boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** Returns the parameters as {@code k=v, k=v}, or "" if none. */
    public String paramText() {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return sb.toString();
    }
}
