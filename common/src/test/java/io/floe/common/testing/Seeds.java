package io.floe.common.testing;

import java.util.SplittableRandom;

/**
 * Seeds for randomized tests: printed, and replayable with {@code -Dfloe.seed=N} (pass it through
 * Maven as {@code -Dfloe.test.jvm.extra=-Dfloe.seed=N}). Each test names itself so that the
 * printed line says which test to replay.
 */
public final class Seeds {
    private Seeds() {
    }

    /** Returns the seed to use for {@code test}: {@code floe.seed} if set, else a fresh one; prints it. */
    public static long seed(String test) {
        String fixed = System.getProperty("floe.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime() ^ Thread.currentThread().getId() * 0x9E3779B97F4A7C15L;
        System.out.println("[seed] " + test + ": -Dfloe.seed=" + seed);
        return seed;
    }

    /** Returns a random source seeded by {@link #seed(String)}. */
    public static SplittableRandom random(String test) {
        return new SplittableRandom(seed(test));
    }
}
