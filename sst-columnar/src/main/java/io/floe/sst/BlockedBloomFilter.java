package io.floe.sst;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * The cache-local bloom filter of SST format version 2, one per row group, over key hashes
 * ({@link Hashing#hash64}). Block layout in {@link SstLayout}: {@code u32 k, u32 numWords,
 * u64 word[numWords]} with {@code numWords} a positive multiple of {@link #BLOCK_WORDS}.
 *
 * <p>The words form {@code numWords / 8} blocks of 64 bytes (one cache line). A hash {@code h}
 * belongs to block {@code ((h >>> 32) * blocks) >>> 32} (multiply-shift: no division) and sets
 * {@code k} bits inside it: with {@code x = h}, probe {@code i} sets bit {@code x >>> 55} (0..511)
 * of the block after {@code x *= MULTIPLIER}. Bit {@code b} of a block is bit {@code b & 63} of
 * its word {@code b >>> 6}. A key costs one cache line and {@code k} multiplications, where the
 * version-1 filter ({@link BloomFilter}) costs {@code k} divisions and up to {@code k} cache lines.
 *
 * <p>False positives: about 0.96% at 10 bits per key with k = 6 (the version-1 filter: 0.82% with
 * k = 7), see {@code docs/formats/sst.md}. Keys are spread over blocks unevenly, so the rate rises
 * above the flat filter's at high bits per key.
 *
 * <p>Threads: the static methods are stateless; a filter's words are read-only once written.
 */
final class BlockedBloomFilter {
    /** Words per block: 8 x 8 bytes, one 64-byte cache line. */
    static final int BLOCK_WORDS = 8;
    static final int BLOCK_BITS = 512;
    /** Most probes per key a version-2 filter may have. */
    static final int MAX_PROBES = 16;
    /** Odd 64-bit constant (2^64 / golden ratio) that steps a hash to its next probe. */
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    private BlockedBloomFilter() {
    }

    /** Returns the probes per key for {@code bitsPerKey} (0.6 times, 1 to {@link #MAX_PROBES}). */
    static int probes(int bitsPerKey) {
        return Math.max(1, Math.min(MAX_PROBES, (int) Math.round(bitsPerKey * 0.6)));
    }

    /**
     * Returns the blocks of a filter of {@code keys} keys at {@code bitsPerKey}: at least one, and no
     * more than a {@link SstLayout#MAX_BLOCK_BYTES} filter holds (the reader's limit).
     */
    static int blocks(long keys, int bitsPerKey) {
        long blocks = (keys * bitsPerKey + BLOCK_BITS - 1) / BLOCK_BITS;
        return (int) Math.max(1, Math.min(blocks, (SstLayout.MAX_BLOCK_BYTES - 8) / (BLOCK_WORDS * 8)));
    }

    /** Returns the block of {@code hash} in a filter of {@code blocks} blocks, in 0..blocks-1. */
    static int block(long hash, int blocks) {
        return (int) (((hash >>> 32) * blocks) >>> 32);
    }

    /**
     * Writes the whole filter block ({@code k}, word count, words) of the {@code count} hashes at
     * {@code hashes[0..8 * count)} to {@code out}. Requires: {@code bitsPerKey} in 1..32.
     */
    static void write(ByteSink out, DirectBuffer hashes, int count, int bitsPerKey) {
        int k = probes(bitsPerKey);
        int blocks = blocks(count, bitsPerKey);
        int words = blocks * BLOCK_WORDS;
        out.putInt(k).putInt(words);
        int at = out.reserve((long) words << 3);
        MutableDirectBuffer buffer = out.buffer();
        buffer.setMemory(at, words << 3, (byte) 0);
        // Both ranges are checked once here; the loop then reads and sets words without a check
        // per probe (two checks per probe were a fifth of building the filter).
        hashes.boundsCheck(0, count << 3);
        Object hashBase = hashes.byteArray();
        long hashAddress = hashes.addressOffset();
        Object filterBase = buffer.byteArray();
        long filterAddress = buffer.addressOffset() + at;
        for (int i = 0; i < count; i++) {
            addUnchecked(filterBase, filterAddress, blocks, k, UnsafeApi.getLong(hashBase, hashAddress + ((long) i << 3)));
        }
    }

    /** Sets the bits of {@code hash} in the filter of {@code blocks} blocks at {@code words[at..]}. */
    static void add(MutableDirectBuffer words, int at, int blocks, int k, long hash) {
        words.boundsCheck(at, blocks * BLOCK_WORDS * 8);
        addUnchecked(words.byteArray(), words.addressOffset() + at, blocks, k, hash);
    }

    /** As {@link #add}, at {@code base}/{@code address}. Requires: {@code 64 * blocks} bytes there, writable. */
    private static void addUnchecked(Object base, long address, int blocks, int k, long hash) {
        long block = address + (long) block(hash, blocks) * (BLOCK_WORDS * 8);
        long x = hash;
        for (int i = 0; i < k; i++) {
            x *= MULTIPLIER;
            int bit = (int) (x >>> 55);
            long word = block + ((bit >>> 6) << 3);
            UnsafeApi.putLong(base, word, UnsafeApi.getLong(base, word) | (1L << bit));
        }
    }

    /**
     * Returns false iff the key with {@code hash} is certainly absent from the filter of
     * {@code blocks} blocks at {@code words[at..]}. Requires: {@code at + 64 * blocks} bytes
     * readable (checked when the block was read, {@link SstReader}).
     */
    static boolean mayContain(DirectBuffer words, int at, int blocks, int k, long hash) {
        int base = at + block(hash, blocks) * (BLOCK_WORDS * 8);
        long x = hash;
        for (int i = 0; i < k; i++) {
            x *= MULTIPLIER;
            int bit = (int) (x >>> 55);
            if ((words.getLong(base + ((bit >>> 6) << 3)) & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }
}
