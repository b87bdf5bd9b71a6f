package io.floe.common.bytes;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Unsigned lexicographic comparison of byte ranges, eight bytes at a time. Every layer compares
 * memcomparable keys with this, so that a key sorts the same in the memtable, in an SST and in a
 * merge.
 *
 * <p>Threads: stateless; safe from any thread.
 */
public final class ByteComparisons {
    private ByteComparisons() {
    }

    /**
     * Returns a negative number, zero or a positive number as {@code a[aOff, aOff+aLen)} sorts
     * before, equal to or after {@code b[bOff, bOff+bLen)}; a proper prefix sorts first.
     *
     * <p>Throws {@link IndexOutOfBoundsException} if a range lies outside its buffer.
     */
    public static int compare(DirectBuffer a, int aOff, int aLen, DirectBuffer b, int bOff, int bLen) {
        a.boundsCheck(aOff, aLen);
        b.boundsCheck(bOff, bLen);
        return compareUnchecked(a.byteArray(), a.addressOffset() + aOff, aLen, b.byteArray(), b.addressOffset() + bOff, bLen);
    }

    /** Compares {@code a[aOff, aOff+aLen)} with the whole of {@code b}; see {@link #compare}. */
    public static int compare(DirectBuffer a, int aOff, int aLen, byte[] b) {
        a.boundsCheck(aOff, aLen);
        return compareUnchecked(a.byteArray(), a.addressOffset() + aOff, aLen, b, UnsafeApi.arrayBaseOffset(byte[].class), b.length);
    }

    /** Compares two whole arrays; see {@link #compare}. */
    public static int compare(byte[] a, byte[] b) {
        long base = UnsafeApi.arrayBaseOffset(byte[].class);
        return compareUnchecked(a, base, a.length, b, base, b.length);
    }

    /**
     * The unchecked form, for hot paths over memory the caller owns: {@code baseX} is the array (or
     * null for native memory) and {@code addrX} the offset within it (or the native address), as
     * {@link DirectBuffer#byteArray()} and {@link DirectBuffer#addressOffset()} give them.
     *
     * <p>Requires: both ranges are valid, readable memory. A wrong range reads wild memory.
     */
    public static int compareUnchecked(Object baseA, long addrA, int lenA, Object baseB, long addrB, int lenB) {
        int min = Math.min(lenA, lenB);
        int i = 0;
        for (; i + Long.BYTES <= min; i += Long.BYTES) {
            long x = UnsafeApi.getLong(baseA, addrA + i);
            long y = UnsafeApi.getLong(baseB, addrB + i);
            if (x != y) {
                // Native order is little-endian on every platform Floe supports; reverse so that the
                // first byte in memory is the most significant.
                return Long.compareUnsigned(Long.reverseBytes(x), Long.reverseBytes(y));
            }
        }
        for (; i < min; i++) {
            int x = UnsafeApi.getByte(baseA, addrA + i) & 0xFF;
            int y = UnsafeApi.getByte(baseB, addrB + i) & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return Integer.compare(lenA, lenB);
    }

    /** Returns the length of the common prefix of the two ranges; see {@link #compare}. */
    public static int commonPrefix(DirectBuffer a, int aOff, int aLen, DirectBuffer b, int bOff, int bLen) {
        a.boundsCheck(aOff, aLen);
        b.boundsCheck(bOff, bLen);
        Object baseA = a.byteArray();
        long addrA = a.addressOffset() + aOff;
        Object baseB = b.byteArray();
        long addrB = b.addressOffset() + bOff;
        int min = Math.min(aLen, bLen);
        int i = 0;
        for (; i + Long.BYTES <= min; i += Long.BYTES) {
            long x = UnsafeApi.getLong(baseA, addrA + i) ^ UnsafeApi.getLong(baseB, addrB + i);
            if (x != 0) {
                // Little-endian: the first differing byte in memory is the lowest set byte.
                return i + (Long.numberOfTrailingZeros(x) >>> 3);
            }
        }
        while (i < min && UnsafeApi.getByte(baseA, addrA + i) == UnsafeApi.getByte(baseB, addrB + i)) {
            i++;
        }
        return i;
    }

    /**
     * Returns the first eight bytes of {@code b[off, off+len)} as a big-endian long, zero-padded if
     * shorter: unsigned order of two prefixes agrees with {@link #compare} of the ranges wherever the
     * prefixes differ (equal prefixes say nothing). Throws {@link IndexOutOfBoundsException} if the
     * range lies outside the buffer.
     */
    public static long prefix8(DirectBuffer b, int off, int len) {
        if (len >= Long.BYTES) {
            return b.getLong(off, java.nio.ByteOrder.BIG_ENDIAN);
        }
        b.boundsCheck(off, len);
        long p = 0;
        for (int i = 0; i < len; i++) {
            p |= (b.getByte(off + i) & 0xFFL) << (56 - 8 * i);
        }
        return p;
    }

    /**
     * Returns iff {@code a[aOff, aOff+aLen)} and {@code b[bOff, bOff+bLen)} hold the same bytes.
     * Throws {@link IndexOutOfBoundsException} if a range lies outside its buffer.
     */
    public static boolean equal(DirectBuffer a, int aOff, int aLen, DirectBuffer b, int bOff, int bLen) {
        if (aLen != bLen) {
            return false;
        }
        a.boundsCheck(aOff, aLen);
        b.boundsCheck(bOff, bLen);
        Object baseA = a.byteArray();
        long addrA = a.addressOffset() + aOff;
        Object baseB = b.byteArray();
        long addrB = b.addressOffset() + bOff;
        int i = 0;
        for (; i + Long.BYTES <= aLen; i += Long.BYTES) {
            if (UnsafeApi.getLong(baseA, addrA + i) != UnsafeApi.getLong(baseB, addrB + i)) {
                return false;
            }
        }
        for (; i < aLen; i++) {
            if (UnsafeApi.getByte(baseA, addrA + i) != UnsafeApi.getByte(baseB, addrB + i)) {
                return false;
            }
        }
        return true;
    }

    static {
        if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("Floe requires a little-endian platform");
        }
    }
}
