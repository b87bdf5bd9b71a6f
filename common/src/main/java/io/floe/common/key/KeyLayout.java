package io.floe.common.key;

import io.floe.common.row.BinaryRowLayout;
import io.floe.common.schema.ColumnType;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The memcomparable key encoding, byte by byte. A key is its key columns' encodings concatenated
 * in key order; unsigned byte comparison of two keys equals value comparison column by column.
 *
 * <pre>
 * nullable column     1 byte marker: 0x00 = null (nothing follows), 0x01 = a value follows
 * NOT NULL column     no marker
 *
 * BOOLEAN             1 byte: 0x00 false, 0x01 true
 * INT, DATE           4 bytes big-endian, sign bit flipped (v ^ 0x80000000)
 * BIGINT              8 bytes big-endian, sign bit flipped
 * FLOAT               4 bytes big-endian of b = floatToIntBits(v) (one NaN): b &lt; 0 ? ~b : b ^ 0x80000000;
 *                     orders as Float.compare: -inf &lt; ... &lt; -0.0 &lt; 0.0 &lt; ... &lt; +inf &lt; NaN
 * DOUBLE              8 bytes, the same with doubleToLongBits
 * DECIMAL(p &lt;= 18)    the unscaled long as BIGINT (the scale is fixed per column)
 * DECIMAL(p &gt; 18)     16 bytes: the unscaled value as big-endian two's complement, sign-extended,
 *                     sign bit flipped
 * TIMESTAMP(p &lt;= 3)   milliseconds as BIGINT
 * TIMESTAMP(p &gt; 3)    milliseconds as BIGINT, then nanos of the millisecond as 4 bytes big-endian
 * STRING, BYTES       the bytes with each 0x00 written as 0x00 0xFF, then the terminator 0x00 0x00
 *                     (so a proper prefix sorts first and embedded zero bytes keep their order)
 * </pre>
 */
public final class KeyLayout {
    public static final byte NULL_MARKER = 0x00;
    public static final byte VALUE_MARKER = 0x01;
    public static final byte ESCAPE = (byte) 0xFF;
    public static final int TERMINATOR_BYTES = 2;

    private KeyLayout() {
    }

    /** Returns the encoded width of a fixed-width type, or -1 for STRING and BYTES (without the null marker). */
    public static int fixedWidth(ColumnType type) {
        return switch (type.root()) {
            case BOOLEAN -> 1;
            case INT, DATE, FLOAT -> 4;
            case BIGINT, DOUBLE -> 8;
            case DECIMAL -> type.isCompactDecimal() ? 8 : BinaryRowLayout.MAX_DECIMAL_VAR_BYTES;
            case TIMESTAMP -> type.isCompactTimestamp() ? 8 : 12;
            case STRING, BYTES -> -1;
        };
    }

    public static int floatKey(float v) {
        int bits = Float.floatToIntBits(v);
        return bits < 0 ? ~bits : bits ^ Integer.MIN_VALUE;
    }

    public static float floatFromKey(int key) {
        int bits = key < 0 ? key ^ Integer.MIN_VALUE : ~key;
        return Float.intBitsToFloat(bits);
    }

    public static long doubleKey(double v) {
        return doubleKeyOfBits(Double.doubleToLongBits(v));
    }

    /**
     * Returns {@link #doubleKey} of the double whose IEEE 754 bits are {@code bits}, with integer
     * operations only (a column scan takes stored bits; every NaN sorts as the canonical NaN, as
     * {@link Double#doubleToLongBits} makes it).
     */
    public static long doubleKeyOfBits(long bits) {
        long b = (bits & 0x7FF0000000000000L) == 0x7FF0000000000000L && (bits & 0x000FFFFFFFFFFFFFL) != 0 ? 0x7FF8000000000000L : bits;
        return b < 0 ? ~b : b ^ Long.MIN_VALUE;
    }

    public static double doubleFromKey(long key) {
        long bits = key < 0 ? key ^ Long.MIN_VALUE : ~key;
        return Double.longBitsToDouble(bits);
    }

    /**
     * Writes {@code src[off, off + len)} escaped and terminated at {@code at}; returns the end offset.
     * Requires: {@code dst} has {@code 2 * len + 2} bytes at {@code at}.
     */
    public static int putEscaped(DirectBuffer src, int off, int len, MutableDirectBuffer dst, int at) {
        for (int i = 0; i < len; i++) {
            byte b = src.getByte(off + i);
            dst.putByte(at++, b);
            if (b == 0) {
                dst.putByte(at++, ESCAPE);
            }
        }
        dst.putByte(at++, (byte) 0);
        dst.putByte(at++, (byte) 0);
        return at;
    }
}
