package io.floe.sst;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

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
     * Packs the values {@code from} to {@code n - 1} of the 8-byte longs in {@code src} into
     * {@code dst} at {@code at}, value {@code i} stored as {@code x[i] - base}, or with {@code delta}
     * as {@code x[i] - x[i - 1] - base}, in {@code width} bits (the low bits; the caller chose a
     * width that holds them). Writes exactly {@link #packedBytes}(n - from, width) bytes, eight at a
     * time, overwriting whatever was there (no zeroing needed).
     * Throws {@link IndexOutOfBoundsException} if a range lies outside its buffer.
     * Requires: {@code from >= 1} if {@code delta}.
     */
    static void packAll(DirectBuffer src, int from, int n, long base, int width, boolean delta, MutableDirectBuffer dst, int at) {
        if (width == 0 || n <= from) {
            return;
        }
        src.boundsCheck(0, n << 3);
        dst.boundsCheck(at, (int) packedBytes(n - from, width));
        Object srcBase = src.byteArray();
        long srcAddr = src.addressOffset();
        Object dstBase = dst.byteArray();
        long pos = dst.addressOffset() + at;
        long mask = width == 64 ? -1L : (1L << width) - 1;
        long prev = delta ? UnsafeApi.getLong(srcBase, srcAddr + ((long) (from - 1) << 3)) : 0;
        long acc = 0;
        int bits = 0;
        for (int i = from; i < n; i++) {
            long x = UnsafeApi.getLong(srcBase, srcAddr + ((long) i << 3));
            long v = ((delta ? x - prev : x) - base) & mask;
            prev = x;
            acc |= v << bits;
            bits += width;
            if (bits >= 64) {
                UnsafeApi.putLong(dstBase, pos, acc); // little-endian: bit 0 of the stream is bit 0 of the first byte
                pos += 8;
                bits -= 64;
                acc = bits == 0 ? 0 : v >>> (width - bits);
            }
        }
        for (; bits > 0; bits -= 8) {
            UnsafeApi.putByte(dstBase, pos++, (byte) acc);
            acc >>>= 8;
        }
    }

    /**
     * Unpacks {@code count} values of {@code width} bits from {@code src} at {@code at} and stores
     * {@code base + value} as 8-byte longs into {@code dst} from {@code dstAt}.
     * Requires: {@code src} holds {@link #packedBytes}(count, width) bytes at {@code at}.
     */
    static void unpackAdd(DirectBuffer src, int at, int count, int width, long base, MutableDirectBuffer dst, int dstAt) {
        if (width == 0) {
            dst.boundsCheck(dstAt, count << 3);
            for (int i = 0; i < count; i++) {
                UnsafeApi.putLong(dst.byteArray(), dst.addressOffset() + dstAt + ((long) i << 3), base);
            }
            return;
        }
        long mask = width == 64 ? -1L : (1L << width) - 1;
        int packed = (int) packedBytes(count, width);
        // One bounds check for each whole range, then unchecked loads: a value whose 8-byte load
        // would pass the packed end (the last few) or that straddles 9 bytes takes the checked path.
        src.boundsCheck(at, packed);
        dst.boundsCheck(dstAt, count << 3);
        Object srcBase = src.byteArray();
        long srcAddr = src.addressOffset() + at;
        Object dstBase = dst.byteArray();
        long dstAddr = dst.addressOffset() + dstAt;
        long bit = 0;
        for (int i = 0; i < count; i++, bit += width) {
            int byteIndex = (int) (bit >>> 3);
            int shift = (int) (bit & 7);
            long v = byteIndex + 8 <= packed && shift + width <= 64
                    ? UnsafeApi.getLong(srcBase, srcAddr + byteIndex) >>> shift
                    : read(src, at, packed, bit, width);
            UnsafeApi.putLong(dstBase, dstAddr + ((long) i << 3), base + (v & mask));
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
