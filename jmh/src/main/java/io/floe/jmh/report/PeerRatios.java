package io.floe.jmh.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Floe's result beside every peer's result of the same benchmark and parameters, as a ratio: for
 * every result whose {@code peer} parameter is not {@code floe}, the result with {@code peer=floe}
 * and otherwise equal parameters (and threads). Suites that name their peers by parameter (memtable,
 * kernel: rocksdb, cslm, paimon, ...) get a ratio per peer without a goal having to name it.
 */
public final class PeerRatios {
    /** The parameter that names the engine of a result. */
    public static final String PEER = "peer";
    /** Its value for Floe. */
    public static final String FLOE = "floe";

    /**
     * One comparison. {@code ratio} is how many times better Floe is (throughput: Floe / peer; time
     * per operation: peer / Floe), {@code low}/{@code high} its bounds from both results' errors.
     */
    public record Row(BenchResult floe, BenchResult peer, double ratio, double low, double high) {
        /** Returns the parameters other than {@code peer}, as {@code k=v, k=v}. */
        public String sharedParams() {
            StringBuilder sb = new StringBuilder();
            floe.params().forEach((k, v) -> {
                if (!k.equals(PEER)) {
                    sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v);
                }
            });
            return sb.toString();
        }
    }

    private PeerRatios() {
    }

    /** Returns a row for every peer result that has a Floe counterpart with the same mode and unit, in result order. */
    public static List<Row> of(List<BenchResult> results) {
        List<Row> rows = new ArrayList<>();
        for (BenchResult peer : results) {
            String name = peer.params().get(PEER);
            if (name == null || name.equals(FLOE)) {
                continue;
            }
            BenchResult floe = counterpart(peer, results);
            if (floe != null && floe.mode().equals(peer.mode()) && floe.unit().equals(peer.unit())) {
                rows.add(row(floe, peer));
            }
        }
        return rows;
    }

    private static BenchResult counterpart(BenchResult peer, List<BenchResult> results) {
        Map<String, String> wanted = new TreeMap<>(peer.params());
        wanted.put(PEER, FLOE);
        for (BenchResult r : results) {
            if (r.benchmark().equals(peer.benchmark()) && r.threads() == peer.threads() && r.params().equals(wanted)) {
                return r;
            }
        }
        return null;
    }

    /** Returns the ratio of {@code floe} to {@code peer}, with bounds carrying both errors (NaN errors count as 0). */
    static Row row(BenchResult floe, BenchResult peer) {
        double f = floe.score();
        double p = peer.score();
        double ef = Double.isNaN(floe.error()) ? 0 : floe.error();
        double ep = Double.isNaN(peer.error()) ? 0 : peer.error();
        if (floe.higherIsBetter()) {
            return new Row(floe, peer, f / p, Math.max(0, f - ef) / (p + ep), p - ep > 0 ? (f + ef) / (p - ep) : Double.POSITIVE_INFINITY);
        }
        return new Row(floe, peer, p / f, Math.max(0, p - ep) / (f + ef), f - ef > 0 ? (p + ep) / (f - ef) : Double.POSITIVE_INFINITY);
    }
}
