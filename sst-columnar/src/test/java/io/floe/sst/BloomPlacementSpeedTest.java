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
 * A manual A/B timing of one blocked bloom filter (1 Mi keys at the default bits per key, a default
 * row group's) probed on the heap (a {@code byte[]}, as readers kept it before) and off-heap (an
 * allocator block, as {@link BloomFilters} keeps it), in alternating rounds in one JVM so that load
 * from other processes hits both alike; prints the best round of each. Run with
 * {@code mvn -B -o test -pl sst-columnar -Dtest=BloomPlacementSpeedTest -Dfloe.test.jvm.extra=-Dfloe.sst.bloomSpeed=true}.
 */
class BloomPlacementSpeedTest {
    private static final int KEYS = 1 << 20;
    private static final int ROUNDS = 15;

    @Test
    @EnabledIfSystemProperty(named = "floe.sst.bloomSpeed", matches = "true")
    void heapAndOffHeapProbeAlike() {
        int bits = SstOptions.defaults().bloomBitsPerKey();
        SplittableRandom r = new SplittableRandom(42);
        long[] present = new long[KEYS];
        long[] absent = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            present[i] = r.nextLong();
            absent[i] = r.nextLong();
        }
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
            for (int round = 0; round < ROUNDS; round++) {
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
            assertThat(sink).isGreaterThan(2L * ROUNDS * KEYS);
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
