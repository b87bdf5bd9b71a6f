package io.floe.common.row;

/**
 * The binary row: how one row of a schema is laid out in memory and in the changelog. A row is
 * addressed by (buffer, offset, length); its length is carried beside it, not inside it.
 *
 * <pre>
 * offset 0                  null bitmap: ceil(n / 64) * 8 bytes; bit (i % 64) of little-endian
 *                           long (i / 64) is set iff column i is null
 * offset bitmapBytes(n)     n fixed slots of 8 bytes, little-endian, slot i at bitmapBytes + 8 * i
 * offset fixedBytes(n)      variable-length section: the bytes of variable-length values,
 *                           packed in the order they were written, no alignment
 *
 * slot contents by type (unused high bytes are zero; a null column's slot is zero):
 *   BOOLEAN                    byte 0: 0 or 1
 *   INT, DATE                  int (DATE: days since 1970-01-01), sign-extended to a long
 *   BIGINT                     long
 *   FLOAT                      int bits of the float (Float.floatToRawIntBits)
 *   DOUBLE                     long bits of the double (Double.doubleToRawLongBits)
 *   DECIMAL(p &lt;= 18)           unscaled value as a long
 *   TIMESTAMP(p &lt;= 3)          milliseconds since 1970-01-01T00:00 as a long
 *   STRING, BYTES,             variable-length reference: (offset &lt;&lt; 32) | length, where offset
 *   DECIMAL(p &gt; 18),           is from the start of the row and offset + length &lt;= row length
 *   TIMESTAMP(p &gt; 3)
 *
 * variable-length values:
 *   STRING                     UTF-8 bytes
 *   BYTES                      the bytes
 *   DECIMAL(p &gt; 18)            unscaled value, big-endian two's complement, minimal length (1..16)
 *   TIMESTAMP(p &gt; 3)           12 bytes: milliseconds (long LE), nanos of the millisecond (int LE, 0..999999)
 * </pre>
 */
public final class BinaryRowLayout {
    /** The size of a fixed slot. */
    public static final int SLOT_BYTES = 8;
    /** The size of a long-precision timestamp in the variable section. */
    public static final int TIMESTAMP_VAR_BYTES = 12;
    /** The largest unscaled DECIMAL in the variable section, in bytes (10^38 &lt; 2^127). */
    public static final int MAX_DECIMAL_VAR_BYTES = 16;

    private BinaryRowLayout() {
    }

    /** Returns the bytes of the null bitmap of a row of {@code columns} columns. */
    public static int bitmapBytes(int columns) {
        return ((columns + 63) >>> 6) << 3;
    }

    /** Returns the offset of slot {@code column} from the row start. */
    public static int slotOffset(int columns, int column) {
        return bitmapBytes(columns) + column * SLOT_BYTES;
    }

    /** Returns the size of a row of {@code columns} columns without its variable-length section. */
    public static int fixedBytes(int columns) {
        return bitmapBytes(columns) + columns * SLOT_BYTES;
    }

    /** Returns the slot value that references {@code length} bytes at {@code offset}. */
    public static long varReference(int offset, int length) {
        return ((long) offset << 32) | (length & 0xFFFFFFFFL);
    }

    public static int varOffset(long reference) {
        return (int) (reference >>> 32);
    }

    public static int varLength(long reference) {
        return (int) reference;
    }
}
