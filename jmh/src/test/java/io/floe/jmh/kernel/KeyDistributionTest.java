package io.floe.jmh.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The key distributions: what each promises, and the default one unchanged from before it had a name. */
class KeyDistributionTest {
    @Test
    void uniformOverAllKeysIsTheRandomPermutationTheBenchmarksAlwaysWrote() {
        long seed = Seeds.seed("KeyDistributionTest.uniform");
        int n = 10_000;
        long[] ids = KeyDistribution.UNIFORM.ids(n, n, seed);
        // The write benchmark's order before the parameter existed: Fisher–Yates over 0..n-1 with SplittableRandom(seed).
        long[] legacy = new long[n];
        for (int i = 0; i < n; i++) {
            legacy[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = legacy[i];
            legacy[i] = legacy[j];
            legacy[j] = t;
        }
        assertThat(ids).containsExactly(legacy);
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        assertThat(sorted[0]).isZero();
        assertThat(sorted[n - 1]).isEqualTo(n - 1);
        assertThat(Arrays.stream(sorted).distinct().count()).isEqualTo(n);
        // Probes (fewer than the keys): the read benchmark's draws before the parameter existed.
        assertThat(KeyDistribution.UNIFORM.ids(100, n, seed)).containsExactly(new SplittableRandom(seed).ints(100, 0, n).asLongStream().toArray());
    }

    @Test
    void sequentialWalksTheKeysInOrderAndWraps() {
        long[] ids = KeyDistribution.SEQUENTIAL.ids(25, 10, Seeds.seed("KeyDistributionTest.sequential"));
        for (int i = 1; i < ids.length; i++) {
            assertThat(ids[i]).isEqualTo((ids[i - 1] + 1) % 10);
        }
        assertThat(KeyDistribution.SEQUENTIAL.ids(10, 10, 1)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void zipfianPutsMostDrawsOnAFewScatteredKeys() {
        int n = 10_000;
        int draws = 200_000;
        long[] ids = KeyDistribution.ZIPFIAN.ids(draws, n, Seeds.seed("KeyDistributionTest.zipfian"));
        int[] counts = new int[n];
        for (long id : ids) {
            assertThat(id).isBetween(0L, n - 1L);
            counts[(int) id]++;
        }
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        double harmonic = 0;
        double top100 = 0;
        for (int k = 1; k <= n; k++) {
            harmonic += 1 / Math.pow(k, KeyDistribution.THETA);
            if (k == 100) {
                top100 = harmonic;
            }
        }
        // The hottest key takes 1 / H(n, theta) of the draws (about 10%), the hottest 100 about H(100) / H(n).
        assertThat(sorted[n - 1] / (double) draws).isBetween(0.8 / harmonic, 1.2 / harmonic);
        long hottest100 = 0;
        for (int i = n - 100; i < n; i++) {
            hottest100 += sorted[i];
        }
        assertThat(hottest100 / (double) draws).isBetween(0.9 * top100 / harmonic, 1.1 * top100 / harmonic);
        int hottest = 0;
        for (int i = 1; i < n; i++) {
            hottest = counts[i] > counts[hottest] ? i : hottest;
        }
        assertThat(KeyDistribution.parse("Zipfian")).isEqualTo(KeyDistribution.ZIPFIAN);
        System.out.println("[zipfian] hottest id " + hottest + " of " + n + ": " + counts[hottest] + " of " + draws + " draws");
    }
}
