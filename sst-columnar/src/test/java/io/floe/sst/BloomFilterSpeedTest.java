package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Manual A/B timings of bloom filters over one default row group (1 Mi keys at the default bits per
 * key), in alternating rounds in one JVM so that load from other processes hits both sides alike;
 * each prints the best round of each side:
 * <ul>
 *   <li>{@link #compareVersions}: the version-1 and version-2 filters, building and probing absent
 *       and present keys;</li>
 *   <li>{@link #heapAndOffHeapProbeAlike}: one version-2 filter probed on the heap (a {@code byte[]},
 *       as readers kept it before) and off-heap (an allocator block, as {@link BloomFilters} keeps it).</li>
 * </ul>
 * Not benchmark suite entries (the JMH suites measure whole lookups and compactions): they isolate
 * the filter. Run with
 * {@code mvn -B -o test -pl sst-columnar -Dtest=BloomFilterSpeedTest -Dfloe.test.jvm.extra=-Dfloe.sst.bloomSpeed=true}.
 */
class BloomFilterSpeedTest {
    private static final int KEYS = 1 << 20;
    private static final int ROUNDS = 9;
    private static final int PLACEMENT_ROUNDS = 15;

    /** Key hashes: {@code [0]} the keys a filter holds, {@code [1]} others. */
    private static long[][] hashes() {
        SplittableRandom r = new SplittableRandom(42);
        long[][] h = new long[2][KEYS];
        for (int i = 0; i < KEYS; i++) {
            h[0][i] = r.nextLong();
            h[1][i] = r.nextLong();
        }
        return h;
    }

    @Test
    @EnabledIfSystemProperty(named = "floe.sst.bloomSpeed", matches = "true")
    void compareVersions() {
        int bits = SstOptions.defaults().bloomBitsPerKey();
        long[][] hashes = hashes();
        long[] present = hashes[0];
        long[] absent = hashes[1];
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

    @Test
    @EnabledIfSystemProperty(named = "floe.sst.bloomSpeed", matches = "true")
    void heapAndOffHeapProbeAlike() {
        int bits = SstOptions.defaults().bloomBitsPerKey();
        long[][] hashes = hashes();
        long[] present = hashes[0];
        long[] absent = hashes[1];
        int k = BlockedBloomFilter.probes(bits);
        int blocks = BlockedBloomFilter.blocks(KEYS, bits);
        UnsafeBuffer heap = new UnsafeBuffer(new byte[blocks * 64]);
        for (long h : present) {
            BlockedBloomFilter.add(heap, 0, blocks, k, h);
        }
        try (OffHeapAllocator allocator = new OffHeapAllocator("placement", Long.MAX_VALUE);
             OffHeapBlock block = allocator.allocate(MemoryPurpose.SST_READ, blocks * 64)) {
            UnsafeBuffer offHeap = new UnsafeBuffer(block.buffer(), 0, blocks * 64);
            offHeap.putBytes(0, heap, 0, blocks * 64);
            long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
            long sink = 0;
            for (int round = 0; round < PLACEMENT_ROUNDS; round++) {
                long t0 = System.nanoTime();
                for (long h : absent) {
                    sink += BlockedBloomFilter.mayContain(heap, 0, blocks, k, h) ? 1 : 0;
                }
                long t1 = System.nanoTime();
                for (long h : absent) {
                    sink += BlockedBloomFilter.mayContain(offHeap, 0, blocks, k, h) ? 1 : 0;
                }
                long t2 = System.nanoTime();
                for (long h : present) {
                    sink += BlockedBloomFilter.mayContain(heap, 0, blocks, k, h) ? 1 : 0;
                }
                long t3 = System.nanoTime();
                for (long h : present) {
                    sink += BlockedBloomFilter.mayContain(offHeap, 0, blocks, k, h) ? 1 : 0;
                }
                long t4 = System.nanoTime();
                long[] times = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
                for (int i = 0; i < times.length; i++) {
                    best[i] = Math.min(best[i], times[i]);
                }
            }
            assertThat(sink).isGreaterThan(2L * PLACEMENT_ROUNDS * KEYS);
            String[] what = {"probe absent", "probe present"};
            for (int i = 0; i < 2; i++) {
                double onHeap = (double) best[2 * i] / KEYS;
                double off = (double) best[2 * i + 1] / KEYS;
                System.out.printf("bloom %-13s per key, %d keys at %d bits: heap %.2f ns, off-heap %.2f ns, off/heap %.2f%n",
                        what[i], KEYS, bits, onHeap, off, off / onHeap);
            }
        }
    }
}
