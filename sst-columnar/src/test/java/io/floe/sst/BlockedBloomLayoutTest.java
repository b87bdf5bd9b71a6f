package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.testing.Seeds;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bits a version-2 filter sets are the ones its format defines ({@link BlockedBloomFilter}'s
 * class comment), computed here by a plain model over a {@link BitSet}: files written by any
 * version of the writer stay readable by every reader.
 */
class BlockedBloomLayoutTest {
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
    final OffHeapAllocator allocator = new OffHeapAllocator("bloom-layout", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    @Test
    void writtenWordsEqualTheModelsBits() {
        long seed = Seeds.seed("BlockedBloomLayoutTest.writtenWordsEqualTheModelsBits");
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 50; round++) {
            int keys = 1 + r.nextInt(5_000);
            int bitsPerKey = 1 + r.nextInt(32);
            try (Region hashes = new Region(allocator, MemoryPurpose.SST_WRITE); ByteSink out = new ByteSink(allocator, MemoryPurpose.SST_WRITE)) {
                hashes.ensure((long) keys << 3, 0);
                long[] h = new long[keys];
                for (int i = 0; i < keys; i++) {
                    h[i] = r.nextLong();
                    hashes.buffer().putLong(i << 3, h[i]);
                }
                BlockedBloomFilter.write(out, hashes.buffer(), keys, bitsPerKey);
                int k = BlockedBloomFilter.probes(bitsPerKey);
                int blocks = BlockedBloomFilter.blocks(keys, bitsPerKey);
                BitSet model = new BitSet(blocks * 512);
                for (long hash : h) {
                    int block = (int) (((hash >>> 32) * blocks) >>> 32);
                    long x = hash;
                    for (int p = 0; p < k; p++) {
                        x *= MULTIPLIER;
                        model.set(block * 512 + (int) (x >>> 55));
                    }
                }
                assertThat(out.buffer().getInt(0)).as("seed %d round %d: k", seed, round).isEqualTo(k);
                assertThat(out.buffer().getInt(4)).as("seed %d round %d: words", seed, round).isEqualTo(blocks * 8);
                long[] expected = java.util.Arrays.copyOf(model.toLongArray(), blocks * 8);
                for (int w = 0; w < blocks * 8; w++) {
                    // Bit b of a block is bit b & 63 of its word b >>> 6, words little-endian in the file.
                    assertThat(out.buffer().getLong(8 + w * 8, java.nio.ByteOrder.LITTLE_ENDIAN)).as("seed %d round %d: word %d", seed, round, w)
                            .isEqualTo(expected[w]);
                }
            }
        }
    }
}
