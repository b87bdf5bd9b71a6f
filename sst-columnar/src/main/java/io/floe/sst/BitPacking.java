package io.floe.sst;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Packs unsigned values of {@code width} bits (0 to 64) one after another, little-endian bit order:
 * value {@code i} occupies bits {@code [i * width, (i + 1) * width)} of the byte string, bit 0 being
 * the lowest bit of the first byte.
 *
 * <p>Threads: stateless.
 */
final class BitPacking {
    private BitPacking() {
    }

    /** Returns the bytes that {@code count} values of {@code width} bits take. */
    static long packedBytes(long count, int width) {
        return (count * width + 7) >>> 3;
    }

    /** Returns the bits needed for the unsigned value {@code v}. */
    static int width(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /**
     * Writes value {@code i} ({@code width} low bits of {@code v}) at bit {@code i * width} of
     * {@code dst} starting at {@code at}.
     * Requires: the bytes covering the value exist and were zeroed (packing ORs bits in).
     */
    static void put(MutableDirectBuffer dst, int at, long i, int width, long v) {
        if (width == 0) {
            return;
        }
        long bit = i * width;
        int pos = at + (int) (bit >>> 3);
        int shift = (int) (bit & 7);
        int left = width;
        v = width == 64 ? v : v & ((1L << width) - 1);
        // first partial byte
        dst.putByte(pos, (byte) (dst.getByte(pos) | (v << shift)));
        int done = 8 - shift;
        pos++;
        while (done < left) {
            dst.putByte(pos++, (byte) (v >>> done));
            done += 8;
        }
    }

    /**
     * Unpacks {@code count} values of {@code width} bits from {@code src} at {@code at} and stores
     * {@code base + value} as 8-byte longs into {@code dst} from {@code dstAt}.
     * Requires: {@code src} holds {@link #packedBytes}(count, width) bytes at {@code at}.
     */
    static void unpackAdd(DirectBuffer src, int at, int count, int width, long base, MutableDirectBuffer dst, int dstAt) {
        if (width == 0) {
            for (int i = 0; i < count; i++) {
                dst.putLong(dstAt + (i << 3), base);
            }
            return;
        }
        long mask = width == 64 ? -1L : (1L << width) - 1;
        int packed = (int) packedBytes(count, width);
        long bit = 0;
        for (int i = 0; i < count; i++, bit += width) {
            dst.putLong(dstAt + (i << 3), base + (read(src, at, packed, bit, width) & mask));
        }
    }

    /** Returns the unsigned value at bit {@code bit}, reading only within {@code [at, at + packed)}. */
    static long get(DirectBuffer src, int at, int packed, long bit, int width) {
        if (width == 0) {
            return 0;
        }
        long mask = width == 64 ? -1L : (1L << width) - 1;
        return read(src, at, packed, bit, width) & mask;
    }

    private static long read(DirectBuffer src, int at, int packed, long bit, int width) {
        int byteIndex = (int) (bit >>> 3);
        int shift = (int) (bit & 7);
        if (byteIndex + 8 <= packed && shift + width <= 64) {
            return src.getLong(at + byteIndex) >>> shift;
        }
        // Slow path near the end or for wide values that straddle 9 bytes.
        long v = 0;
        int got = -shift;
        int i = byteIndex;
        while (got < width) {
            long b = src.getByte(at + i++) & 0xFFL;
            v |= got >= 0 ? b << got : b >>> -got;
            got += 8;
        }
        return v;
    }
}
