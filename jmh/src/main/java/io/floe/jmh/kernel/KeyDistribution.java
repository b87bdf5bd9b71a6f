package io.floe.jmh.kernel;

import java.util.SplittableRandom;

/**
 * The order and skew of the keys a kernel benchmark writes or looks up, the {@code distribution}
 * parameter. Keys are ids {@code 0..n-1}.
 * <ul>
 *   <li>{@code sequential}: ascending ids, wrapping round at {@code n} (append-only writes; scans of
 *       neighbouring lookups);</li>
 *   <li>{@code uniform}: every id once, in a random order (a random permutation; what the kernel
 *       benchmarks measured before they had this parameter);</li>
 *   <li>{@code zipfian}: ids drawn with Zipf's law, exponent {@value #THETA}, the hot ids scattered over
 *       the key space (most writes are upserts of a few keys; most lookups hit a few keys).</li>
 * </ul>
 */
enum KeyDistribution {
    SEQUENTIAL, UNIFORM, ZIPFIAN;

    /** The Zipf exponent: the usual skew of key-value benchmarks. */
    static final double THETA = 0.99;

    /** Returns the distribution named {@code name} (case-insensitive). Throws {@link IllegalArgumentException} if there is none. */
    static KeyDistribution parse(String name) {
        for (KeyDistribution d : values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown key distribution '" + name + "'; one of sequential, uniform, zipfian");
    }

    /**
     * Returns {@code count} ids from {@code 0..n-1} in this distribution, the same for the same seed.
     * Requires: {@code n >= 1}, {@code count >= 0}.
     */
    long[] ids(int count, int n, long seed) {
        long[] ids = new long[count];
        SplittableRandom random = new SplittableRandom(seed);
        switch (this) {
            case SEQUENTIAL -> {
                int start = count == n ? 0 : random.nextInt(n);
                for (int i = 0; i < count; i++) {
                    ids[i] = (start + i) % n;
                }
            }
            case UNIFORM -> {
                if (count == n) {
                    long[] permutation = permutation(n, random);
                    System.arraycopy(permutation, 0, ids, 0, n);
                } else {
                    int[] drawn = random.ints(count, 0, n).toArray(); // with replacement, as the read benchmark always drew its probes
                    for (int i = 0; i < count; i++) {
                        ids[i] = drawn[i];
                    }
                }
            }
            case ZIPFIAN -> {
                long[] scatter = permutation(n, random);
                Zipf zipf = new Zipf(n, THETA);
                for (int i = 0; i < count; i++) {
                    ids[i] = scatter[zipf.rank(random.nextDouble())];
                }
            }
            default -> throw new AssertionError(this);
        }
        return ids;
    }

    /** Returns ids 0..n-1 in a random order (Fisher–Yates). */
    static long[] permutation(int n, SplittableRandom random) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        return ids;
    }

    /**
     * Ranks {@code 0..n-1} with probability proportional to {@code 1 / (rank + 1)^theta}, by the
     * closed-form inversion of Gray et al. ("Quickly generating billion-record synthetic
     * databases", SIGMOD 1994): one harmonic sum up front, then O(1) per draw.
     */
    static final class Zipf {
        private final int n;
        private final double theta;
        private final double alpha;
        private final double zetaN;
        private final double eta;
        private final double halfPowTheta;

        Zipf(int n, double theta) {
            this.n = n;
            this.theta = theta;
            this.alpha = 1 / (1 - theta);
            this.zetaN = zeta(n, theta);
            this.eta = (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta(2, theta) / zetaN);
            this.halfPowTheta = 1 + Math.pow(0.5, theta);
        }

        private static double zeta(int n, double theta) {
            double sum = 0;
            for (int i = 1; i <= n; i++) {
                sum += 1 / Math.pow(i, theta);
            }
            return sum;
        }

        /** Returns the rank for the uniform draw {@code u} in [0, 1). */
        int rank(double u) {
            double uz = u * zetaN;
            if (uz < 1) {
                return 0;
            }
            if (uz < halfPowTheta) {
                return Math.min(1, n - 1);
            }
            return (int) Math.min(n - 1, (long) (n * Math.pow(eta * u - eta + 1, alpha)));
        }
    }
}
