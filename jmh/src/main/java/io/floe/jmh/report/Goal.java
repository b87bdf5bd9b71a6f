package io.floe.jmh.report;

import java.util.List;
import java.util.Map;

/**
 * A performance goal of an issue, checked against one run. Kinds:
 * <ul>
 *   <li>{@code ratio}: Floe's result is at least {@code target} times as good as the peer's (for
 *       throughput Floe/peer, for time per operation peer/Floe);</li>
 *   <li>{@code alloc}: Floe allocates at most {@code target} bytes per operation;</li>
 *   <li>{@code percentile}: Floe's percentile {@code percentile} (e.g. 99.0) is at most
 *       {@code target} in the result's unit.</li>
 * </ul>
 */
public record Goal(String name, String text, Kind kind, Selector floe, Selector peer, double target, String percentile) {
    public enum Kind { RATIO, ALLOC, PERCENTILE }

    /**
     * Picks results: the benchmark's {@code Class.method} (or a suffix of the full name) and the
     * parameters that must match; parameters it does not name may take any value (a sweep of one
     * gives several results, each checked on its own: {@link GoalCheck#check(List, List)}).
     */
    public record Selector(String benchmark, Map<String, String> params) {
        public boolean matches(BenchResult r) {
            if (!(r.benchmark().equals(benchmark) || r.benchmark().endsWith("." + benchmark))) {
                return false;
            }
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (!e.getValue().equals(r.params().get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        /** Returns every result this selects, in the results' order. */
        public List<BenchResult> pickAll(List<BenchResult> results) {
            return results.stream().filter(this::matches).toList();
        }

        /** Returns the one result this selects, or null if none; throws if several match. */
        public BenchResult pick(List<BenchResult> results) {
            BenchResult found = null;
            for (BenchResult r : results) {
                if (matches(r)) {
                    if (found != null) {
                        throw new IllegalArgumentException("selector " + this + " matches more than one result: " + found.shortName() + " ("
                                + found.paramText() + ") and " + r.shortName() + " (" + r.paramText() + ")");
                    }
                    found = r;
                }
            }
            return found;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(benchmark);
            params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            return sb.toString();
        }
    }
}
