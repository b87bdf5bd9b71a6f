package io.floe.sst;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The bloom filter of SST format version 1 (files of version 2 and later use
 * {@link BlockedBloomFilter}; this one is kept to read version-1 files and must not change).
 * Over key hashes ({@link Hashing#hash64}), one per row group. Block layout in
 * {@link SstLayout}: {@code u32 k, u32 numWords, u64 word[numWords]}. Probe {@code i} of a hash
 * {@code h} sets bit {@code (h + i * delta) mod (64 * numWords)} (unsigned), with
 * {@code delta = rotateRight(h, 33) | 1}.
 *
 * <p>Threads: the static methods are stateless; a filter's words are read-only once written.
 */
final class BloomFilter {
    private BloomFilter() {
    }

    /** Returns the probes per key for {@code bitsPerKey} (about ln 2 times, 1 to 30). */
    static int probes(int bitsPerKey) {
        return Math.max(1, Math.min(30, (int) Math.round(bitsPerKey * 0.69)));
    }

    /** Returns the words of a filter of {@code keys} keys at {@code bitsPerKey}. */
    static int words(long keys, int bitsPerKey) {
        return (int) Math.max(1, (keys * bitsPerKey + 63) / 64);
    }

    /** Sets the bits of {@code hash} in the words at {@code words[at..]}. */
    static void add(MutableDirectBuffer words, int at, int numWords, int k, long hash) {
        long bits = 64L * numWords;
        long h = hash;
        long delta = Long.rotateRight(hash, 33) | 1;
        for (int i = 0; i < k; i++) {
            long bit = Long.remainderUnsigned(h, bits);
            int word = at + (int) (bit >>> 6) * 8;
            words.putLong(word, words.getLong(word) | (1L << (bit & 63)));
            h += delta;
        }
    }

    /** Returns false iff the key with {@code hash} is certainly absent. */
    static boolean mayContain(DirectBuffer words, int at, int numWords, int k, long hash) {
        long bits = 64L * numWords;
        long h = hash;
        long delta = Long.rotateRight(hash, 33) | 1;
        for (int i = 0; i < k; i++) {
            long bit = Long.remainderUnsigned(h, bits);
            if ((words.getLong(at + (int) (bit >>> 6) * 8) & (1L << (bit & 63))) == 0) {
                return false;
            }
            h += delta;
        }
        return true;
    }
}
