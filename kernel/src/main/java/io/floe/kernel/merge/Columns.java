package io.floe.kernel.merge;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.ColumnType;

/**
 * Column-wise operations between binary rows of one schema: copy a column ({@link RowWriter#setFrom}),
 * compare two non-null values. Allocate nothing except for DECIMAL with precision above 18 (which
 * goes through {@link java.math.BigDecimal}).
 */
final class Columns {
    private Columns() {
    }

    /** Sets column {@code c} of {@code dst} to column {@code c} of {@code src} (null included). */
    static void copy(RowReader src, int c, RowWriter dst) {
        dst.setFrom(c, src, c);
    }

    /**
     * Returns the order of the non-null values of column {@code c} in {@code a} and {@code b}:
     * numbers by value, STRING by code point (UTF-8 bytes), BOOLEAN false first, TIMESTAMP by time.
     * Requires: the type is not BYTES; neither value is null.
     */
    static int compare(RowReader a, RowReader b, int c) {
        ColumnType type = a.schema().type(c);
        return switch (type.root()) {
            case BOOLEAN -> Boolean.compare(a.getBoolean(c), b.getBoolean(c));
            case INT, DATE -> Integer.compare(a.getInt(c), b.getInt(c));
            case BIGINT -> Long.compare(a.getLong(c), b.getLong(c));
            case FLOAT -> Float.compare(a.getFloat(c), b.getFloat(c));
            case DOUBLE -> Double.compare(a.getDouble(c), b.getDouble(c));
            case DECIMAL -> type.isCompactDecimal() ? Long.compare(a.getDecimalUnscaled(c), b.getDecimalUnscaled(c))
                    : a.getDecimal(c).compareTo(b.getDecimal(c));
            case TIMESTAMP -> {
                int byMillis = Long.compare(a.getTimestampMillis(c), b.getTimestampMillis(c));
                yield byMillis != 0 ? byMillis : Integer.compare(a.getTimestampNanoOfMilli(c), b.getTimestampNanoOfMilli(c));
            }
            case STRING -> ByteComparisons.compare(a.buffer(), a.varOffset(c), a.varLength(c), b.buffer(), b.varOffset(c), b.varLength(c));
            case BYTES -> throw new IllegalArgumentException("BYTES column '" + a.schema().column(c).name() + "' has no order for MIN/MAX");
        };
    }
}
