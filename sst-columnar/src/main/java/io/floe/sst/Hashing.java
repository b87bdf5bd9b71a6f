package io.floe.sst;

import org.agrona.DirectBuffer;

/**
 * A 64-bit hash of byte ranges for bloom filters and dictionaries. Its values are stored in files
 * (bloom bits), so it must never change within a format version.
 *
 * <p>Eight bytes at a time (little-endian), each word mixed with the multiply-xorshift of
 * SplitMix64 ({@code mix}); the tail bytes are folded in one by one; the length is mixed in last.
 * Threads: stateless.
 */
final class Hashing {
    private static final long SEED = 0x9E3779B97F4A7C15L;

    private Hashing() {
    }

    static long hash64(DirectBuffer buffer, int offset, int length) {
        long h = SEED;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = mix(h ^ buffer.getLong(offset + i)) * 31;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (buffer.getByte(offset + i) & 0xFFL) << shift;
        }
        h = mix(h ^ tail);
        return mix(h ^ length);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
