package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A manual A/B timing of the version-1 and version-2 bloom filters over one default row group
 * (1 Mi keys at the default bits per key): building, and probing absent and present keys, in
 * alternating rounds in one JVM so that load from other processes hits both alike; prints the best
 * round of each. Not a benchmark suite entry (the JMH suites measure whole lookups and compactions):
 * it isolates the filter. Run with
 * {@code mvn -B -o test -pl sst-columnar -Dtest=BloomFilterSpeedTest -Dfloe.test.jvm.extra=-Dfloe.sst.bloomSpeed=true}.
 */
class BloomFilterSpeedTest {
    private static final int KEYS = 1 << 20;
    private static final int ROUNDS = 9;

    @Test
    @EnabledIfSystemProperty(named = "floe.sst.bloomSpeed", matches = "true")
    void compareVersions() {
        int bits = SstOptions.defaults().bloomBitsPerKey();
        SplittableRandom r = new SplittableRandom(42);
        long[] present = new long[KEYS];
        long[] absent = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            present[i] = r.nextLong();
            absent[i] = r.nextLong();
        }
        int k1 = BloomFilter.probes(bits);
        int words1 = BloomFilter.words(KEYS, bits);
        int k2 = BlockedBloomFilter.probes(bits);
        int blocks = BlockedBloomFilter.blocks(KEYS, bits);
        UnsafeBuffer flat = new UnsafeBuffer(new byte[words1 * 8]);
        UnsafeBuffer blocked = new UnsafeBuffer(new byte[blocks * 64]);
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            flat.setMemory(0, flat.capacity(), (byte) 0);
            for (long h : present) {
                BloomFilter.add(flat, 0, words1, k1, h);
            }
            long t1 = System.nanoTime();
            blocked.setMemory(0, blocked.capacity(), (byte) 0);
            for (long h : present) {
                BlockedBloomFilter.add(blocked, 0, blocks, k2, h);
            }
            long t2 = System.nanoTime();
            for (long h : absent) {
                sink += BloomFilter.mayContain(flat, 0, words1, k1, h) ? 1 : 0;
            }
            long t3 = System.nanoTime();
            for (long h : absent) {
                sink += BlockedBloomFilter.mayContain(blocked, 0, blocks, k2, h) ? 1 : 0;
            }
            long t4 = System.nanoTime();
            for (long h : present) {
                sink += BloomFilter.mayContain(flat, 0, words1, k1, h) ? 1 : 0;
            }
            long t5 = System.nanoTime();
            for (long h : present) {
                sink += BlockedBloomFilter.mayContain(blocked, 0, blocks, k2, h) ? 1 : 0;
            }
            long t6 = System.nanoTime();
            long[] times = {t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5};
            for (int i = 0; i < times.length; i++) {
                best[i] = Math.min(best[i], times[i]);
            }
        }
        assertThat(sink).isGreaterThan(2L * KEYS);
        String[] what = {"build", "probe absent", "probe present"};
        for (int i = 0; i < 3; i++) {
            double v1 = (double) best[2 * i] / KEYS;
            double v2 = (double) best[2 * i + 1] / KEYS;
            System.out.printf("bloom %-13s per key, %d keys at %d bits: version 1 %.1f ns, version 2 %.1f ns, v2/v1 %.2f%n",
                    what[i], KEYS, bits, v1, v2, v2 / v1);
        }
    }
}
