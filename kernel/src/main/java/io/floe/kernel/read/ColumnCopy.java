package io.floe.kernel.read;

import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.ColumnType;

/**
 * Copies one column of a row into another column position of a row of the same type: what a
 * projected scan writes per returned column. Allocates nothing, except for DECIMAL columns of
 * precision above 18 (through {@link java.math.BigDecimal}).
 */
final class ColumnCopy {
    private ColumnCopy() {
    }

    /**
     * Sets column {@code to} of {@code dst} to column {@code from} of {@code src} (null included).
     * Requires: both columns have the same type root, precision and scale.
     */
    static void copy(RowReader src, int from, RowWriter dst, int to) {
        if (src.isNullAt(from)) {
            dst.setNull(to);
            return;
        }
        ColumnType type = src.schema().type(from);
        switch (type.root()) {
            case BOOLEAN -> dst.setBoolean(to, src.getBoolean(from));
            case INT -> dst.setInt(to, src.getInt(from));
            case DATE -> dst.setDate(to, src.getInt(from));
            case BIGINT -> dst.setLong(to, src.getLong(from));
            case FLOAT -> dst.setFloat(to, src.getFloat(from));
            case DOUBLE -> dst.setDouble(to, src.getDouble(from));
            case DECIMAL -> {
                if (type.isCompactDecimal()) {
                    dst.setDecimalUnscaled(to, src.getDecimalUnscaled(from));
                } else {
                    dst.setDecimal(to, src.getDecimal(from));
                }
            }
            case TIMESTAMP -> dst.setTimestamp(to, src.getTimestampMillis(from), src.getTimestampNanoOfMilli(from));
            case STRING -> dst.setStringUtf8(to, src.buffer(), src.varOffset(from), src.varLength(from));
            case BYTES -> dst.setBytes(to, src.buffer(), src.varOffset(from), src.varLength(from));
        }
    }
}
