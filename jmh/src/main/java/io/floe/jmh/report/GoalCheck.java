package io.floe.jmh.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    public record Outcome(Goal goal, BenchResult floe, BenchResult peer, double measured, double low, double high, Verdict verdict,
                          String variant) {
        Outcome(Goal goal, BenchResult floe, BenchResult peer, double measured, double low, double high, Verdict verdict) {
            this(goal, floe, peer, measured, low, high, verdict, "");
        }

        /** Returns this outcome for the parameter values {@code variant} ("k=v, ..."; empty if the goal selected one result). */
        Outcome withVariant(String text) {
            return new Outcome(goal, floe, peer, measured, low, high, verdict, text);
        }
    }

    private GoalCheck() {
    }

    /**
     * Checks every goal: one outcome per Floe result a goal selects. A run that swept a parameter the
     * goal does not name (say {@code --sweep codec}) gives one outcome per value, each against the
     * peer's result with the same parameters, its {@link Outcome#variant()} naming the values.
     */
    public static List<Outcome> check(List<Goal> goals, List<BenchResult> results) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Goal g : goals) {
            outcomes.addAll(checkEach(g, results));
        }
        return outcomes;
    }

    /** Returns the outcomes of {@code g}, one per Floe result it selects (one "not run" if none). */
    public static List<Outcome> checkEach(Goal g, List<BenchResult> results) {
        List<BenchResult> floes = g.floe().pickAll(results);
        if (floes.size() <= 1) {
            return List.of(check(g, results));
        }
        Set<String> fixed = new HashSet<>(g.floe().params().keySet());
        if (g.peer() != null) {
            fixed.addAll(g.peer().params().keySet());
        }
        // The parameters whose values differ between the selected results name each outcome.
        Set<String> varying = new TreeSet<>();
        for (BenchResult f : floes) {
            for (Map.Entry<String, String> e : f.params().entrySet()) {
                if (!fixed.contains(e.getKey()) && !e.getValue().equals(floes.get(0).params().get(e.getKey()))) {
                    varying.add(e.getKey());
                }
            }
        }
        List<BenchResult> peers = g.peer() == null ? List.of() : g.peer().pickAll(results);
        List<Outcome> outcomes = new ArrayList<>();
        for (BenchResult f : floes) {
            BenchResult peer = null;
            for (BenchResult p : peers) {
                if (sameExcept(f, p, fixed)) {
                    peer = p;
                    break;
                }
            }
            StringBuilder variant = new StringBuilder();
            for (String k : varying) {
                variant.append(variant.isEmpty() ? "" : ", ").append(k).append('=').append(f.params().get(k));
            }
            outcomes.add(check(g, f, peer).withVariant(variant.toString()));
        }
        return outcomes;
    }

    private static boolean sameExcept(BenchResult a, BenchResult b, Set<String> ignored) {
        Set<String> keys = new HashSet<>(a.params().keySet());
        keys.addAll(b.params().keySet());
        for (String k : keys) {
            if (!ignored.contains(k) && !java.util.Objects.equals(a.params().get(k), b.params().get(k))) {
                return false;
            }
        }
        return a.threads() == b.threads();
    }

    /** Returns the outcome of {@code g} when it selects one result; throws {@link IllegalArgumentException} if it selects several. */
    public static Outcome check(Goal g, List<BenchResult> results) {
        return check(g, g.floe().pick(results), g.peer() == null ? null : g.peer().pick(results));
    }

    private static Outcome check(Goal g, BenchResult floe, BenchResult peer) {
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
