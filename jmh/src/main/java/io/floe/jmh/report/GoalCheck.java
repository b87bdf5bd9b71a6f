package io.floe.jmh.report;

import java.util.ArrayList;
import java.util.List;

/** Checks goals against results, with the results' error bounds carried into a verdict. */
public final class GoalCheck {
    public enum Verdict {
        HOLDS("holds"), MISSED("missed"), WITHIN_NOISE("within noise"), NOT_RUN("not run");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The check of one goal. For ratio goals {@code measured} is the ratio and {@code low}/{@code high}
     * its bounds from both results' errors; for the others the measured value (and its bounds).
     * The verdict is {@code HOLDS} iff even the unfavourable bound meets the target, {@code MISSED}
     * iff even the favourable one does not, else {@code WITHIN_NOISE}.
     */
    public record Outcome(Goal goal, BenchResult floe, BenchResult peer, double measured, double low, double high, Verdict verdict) {
    }

    private GoalCheck() {
    }

    public static List<Outcome> check(List<Goal> goals, List<BenchResult> results) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Goal g : goals) {
            outcomes.add(check(g, results));
        }
        return outcomes;
    }

    public static Outcome check(Goal g, List<BenchResult> results) {
        BenchResult floe = g.floe().pick(results);
        BenchResult peer = g.peer() == null ? null : g.peer().pick(results);
        if (floe == null || (g.kind() == Goal.Kind.RATIO && peer == null)) {
            return new Outcome(g, floe, peer, Double.NaN, Double.NaN, Double.NaN, Verdict.NOT_RUN);
        }
        return switch (g.kind()) {
            case RATIO -> ratio(g, floe, peer);
            case ALLOC -> {
                double a = floe.allocPerOp();
                if (Double.isNaN(a)) {
                    yield new Outcome(g, floe, null, a, a, a, Verdict.NOT_RUN);
                }
                // JMH's gc.alloc.rate.norm carries fractions of a byte of harness noise: compare whole bytes.
                yield new Outcome(g, floe, null, a, a, a, Math.round(a) <= g.target() ? Verdict.HOLDS : Verdict.MISSED);
            }
            case PERCENTILE -> {
                Double v = floe.percentiles().get(g.percentile());
                if (v == null) {
                    yield new Outcome(g, floe, null, Double.NaN, Double.NaN, Double.NaN, Verdict.NOT_RUN);
                }
                yield new Outcome(g, floe, null, v, v, v, v <= g.target() ? Verdict.HOLDS : Verdict.MISSED);
            }
        };
    }

    private static Outcome ratio(Goal g, BenchResult floe, BenchResult peer) {
        if (!floe.mode().equals(peer.mode()) || !floe.unit().equals(peer.unit())) {
            throw new IllegalArgumentException("goal '" + g.name() + "' compares " + floe.mode() + " in " + floe.unit() + " with "
                    + peer.mode() + " in " + peer.unit() + "; a ratio needs the same mode and unit");
        }
        PeerRatios.Row r = PeerRatios.row(floe, peer);
        double ratio = r.ratio();
        double low = r.low();
        double high = r.high();
        Verdict v = low >= g.target() ? Verdict.HOLDS : high < g.target() ? Verdict.MISSED : Verdict.WITHIN_NOISE;
        return new Outcome(g, floe, peer, ratio, low, high, v);
    }
}
