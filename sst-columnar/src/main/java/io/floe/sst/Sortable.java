package io.floe.sst;

import io.floe.common.error.SchemaMismatchException;
import io.floe.common.key.KeyLayout;
import io.floe.common.row.BinaryRowLayout;
import io.floe.common.row.Values;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.TypeRoot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The "sortable" form of column values, used by statistics and predicates: unsigned comparison of
 * sortable forms gives the column's order (the order of {@link KeyLayout}, nulls aside).
 *
 * <pre>
 * fixed columns      a long compared unsigned; as bytes, 8 bytes big-endian:
 *   BOOLEAN, INT, BIGINT, DATE, DECIMAL(p &lt;= 18), TIMESTAMP(p &lt;= 3)   slot ^ 0x8000000000000000
 *   FLOAT            floatKey(value) zero-extended (KeyLayout)
 *   DOUBLE           doubleKey(value)
 * STRING, BYTES      the bytes themselves
 * DECIMAL(p &gt; 18)    16 bytes as in KeyLayout
 * TIMESTAMP(p &gt; 3)   millis ^ sign bit (8 bytes big-endian), nanos of milli (4 bytes big-endian)
 * </pre>
 *
 * Threads: stateless.
 */
final class Sortable {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private Sortable() {
    }

    /** Returns the sortable long of a fixed column's 8-byte slot value. */
    static long fixed(TypeRoot root, long slot) {
        return switch (root) {
            case FLOAT -> KeyLayout.floatKey(Float.intBitsToFloat((int) slot)) & 0xFFFFFFFFL;
            case DOUBLE -> KeyLayout.doubleKeyOfBits(slot);
            default -> slot ^ Long.MIN_VALUE;
        };
    }

    /** Returns iff the sortable form of a variable column is its bytes as they are. */
    static boolean bytesAsIs(TypeRoot root) {
        return root == TypeRoot.STRING || root == TypeRoot.BYTES;
    }

    /**
     * Writes the sortable form of a DECIMAL(p &gt; 18) or TIMESTAMP(p &gt; 3) value
     * {@code src[off, off + len)} at {@code dst[0..]} and returns its length, or -1 if the value is
     * malformed (wrong length).
     * Requires: {@code dst} holds 16 bytes.
     */
    static int convert(TypeRoot root, DirectBuffer src, int off, int len, MutableDirectBuffer dst) {
        if (root == TypeRoot.DECIMAL) {
            if (len < 1 || len > BinaryRowLayout.MAX_DECIMAL_VAR_BYTES) {
                return -1;
            }
            byte fill = src.getByte(off) < 0 ? (byte) 0xFF : 0;
            int pad = BinaryRowLayout.MAX_DECIMAL_VAR_BYTES - len;
            dst.setMemory(0, pad, fill);
            dst.putBytes(pad, src, off, len);
            dst.putByte(0, (byte) (dst.getByte(0) ^ 0x80));
            return BinaryRowLayout.MAX_DECIMAL_VAR_BYTES;
        }
        if (len != BinaryRowLayout.TIMESTAMP_VAR_BYTES) {
            return -1;
        }
        dst.putLong(0, src.getLong(off) ^ Long.MIN_VALUE, BE);
        dst.putInt(8, src.getInt(off + 8), BE);
        return BinaryRowLayout.TIMESTAMP_VAR_BYTES;
    }

    static byte[] fixedBytes(long sortable) {
        byte[] out = new byte[8];
        new UnsafeBuffer(out).putLong(0, sortable, BE);
        return out;
    }

    static long fixedFromBytes(byte[] bytes) {
        return new UnsafeBuffer(bytes).getLong(0, BE);
    }

    /**
     * Returns the sortable bytes of the Java value {@code value} (as {@code RowWriter.setObject}
     * takes it) for a column of {@code type}.
     * Throws {@link SchemaMismatchException} if the value does not fit the type.
     */
    static byte[] ofValue(ColumnType type, Object value, String column) {
        try {
            return switch (type.root()) {
                case BOOLEAN -> fixedBytes(fixed(TypeRoot.BOOLEAN, ((Boolean) value) ? 1 : 0));
                case INT -> fixedBytes(fixed(TypeRoot.INT, ((Number) value).intValue()));
                case BIGINT -> fixedBytes(fixed(TypeRoot.BIGINT, ((Number) value).longValue()));
                case FLOAT -> fixedBytes(fixed(TypeRoot.FLOAT, Float.floatToRawIntBits(((Number) value).floatValue()) & 0xFFFFFFFFL));
                case DOUBLE -> fixedBytes(fixed(TypeRoot.DOUBLE, Double.doubleToRawLongBits(((Number) value).doubleValue())));
                case DATE -> fixedBytes(fixed(TypeRoot.DATE, value instanceof LocalDate d ? Values.days(d) : (Integer) value));
                case DECIMAL -> decimal(type, value instanceof BigDecimal d ? d : new BigDecimal(value.toString()), column);
                case TIMESTAMP -> timestamp(type, (LocalDateTime) value);
                case STRING -> value.toString().getBytes(StandardCharsets.UTF_8);
                case BYTES -> ((byte[]) value).clone();
            };
        } catch (ClassCastException e) {
            throw new SchemaMismatchException("column '" + column + "' is " + type + "; cannot compare it with a "
                    + value.getClass().getSimpleName() + " (" + value + ")");
        }
    }

    private static byte[] decimal(ColumnType type, BigDecimal value, String column) {
        BigInteger unscaled = Values.unscaled(value, type, column);
        if (type.isCompactDecimal()) {
            return fixedBytes(fixed(TypeRoot.DECIMAL, unscaled.longValueExact()));
        }
        byte[] raw = unscaled.toByteArray();
        byte[] out = new byte[16];
        convert(TypeRoot.DECIMAL, new UnsafeBuffer(raw), 0, raw.length, new UnsafeBuffer(out));
        return out;
    }

    private static byte[] timestamp(ColumnType type, LocalDateTime value) {
        long millis = Values.millis(value, type.precision());
        if (type.isCompactTimestamp()) {
            return fixedBytes(fixed(TypeRoot.TIMESTAMP, millis));
        }
        byte[] out = new byte[12];
        UnsafeBuffer b = new UnsafeBuffer(out);
        b.putLong(0, millis ^ Long.MIN_VALUE, BE);
        b.putInt(8, Values.nanoOfMilli(value, type.precision()), BE);
        return out;
    }

    /** Compares two sortable forms: negative, zero or positive as {@code a} sorts before, with or after {@code b}. */
    static int compare(byte[] a, byte[] b) {
        return io.floe.common.bytes.ByteComparisons.compare(a, b);
    }
}
