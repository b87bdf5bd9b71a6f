package io.floe.jmh;

/**
 * The size of the data a benchmark builds. {@code -Dfloe.jmh.smoke=true} (set by the test that runs
 * every benchmark once) shrinks the largest data sets, so that a benchmark's setup, which that test
 * exists to exercise, stays a few seconds; the scores of such a run mean nothing.
 */
public final class BenchScale {
    private BenchScale() {
    }

    /** Returns iff this JVM runs benchmarks only to see that they run. */
    public static boolean smoke() {
        return Boolean.getBoolean("floe.jmh.smoke");
    }

    /** Returns {@code full}, or {@code smoke} in a smoke run. */
    public static int rows(int full, int smoke) {
        return smoke() ? smoke : full;
    }
}
