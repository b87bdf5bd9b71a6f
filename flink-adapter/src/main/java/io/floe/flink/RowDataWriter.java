package io.floe.flink;

import io.floe.common.error.SchemaMismatchException;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

/**
 * Writes Flink {@link RowData} as Floe binary rows. Fixed-width fields go straight into the row;
 * strings and bytes pass through one {@code byte[]} that Flink's {@code StringData.toBytes()}
 * returns (for Flink's binary strings that is a copy: the one allocation per string field).
 *
 * <p>Threads: single owner.
 */
public final class RowDataWriter {
    private final Schema schema;
    private final ColumnType[] types;
    private final UnsafeBuffer bytesView = new UnsafeBuffer(new byte[0]);

    public RowDataWriter(Schema schema) {
        this.schema = schema;
        this.types = new ColumnType[schema.columnCount()];
        for (int i = 0; i < types.length; i++) {
            types[i] = schema.type(i);
        }
    }

    /**
     * Writes {@code row} into {@code out} (reset first) and returns the row's length.
     * Throws {@link SchemaMismatchException} if the arity differs, and
     * {@link io.floe.common.error.ValueOutOfRangeException} if a NOT NULL column is null.
     */
    public int write(RowData row, RowWriter out) {
        if (row.getArity() != types.length) {
            throw new SchemaMismatchException("row has " + row.getArity() + " fields but table schema " + schema + " has " + types.length);
        }
        out.reset();
        for (int i = 0; i < types.length; i++) {
            if (row.isNullAt(i)) {
                continue; // reset() left it null
            }
            ColumnType type = types[i];
            switch (type.root()) {
                case BOOLEAN -> out.setBoolean(i, row.getBoolean(i));
                case INT -> out.setInt(i, row.getInt(i));
                case DATE -> out.setDate(i, row.getInt(i));
                case BIGINT -> out.setLong(i, row.getLong(i));
                case FLOAT -> out.setFloat(i, row.getFloat(i));
                case DOUBLE -> out.setDouble(i, row.getDouble(i));
                case DECIMAL -> {
                    DecimalData d = row.getDecimal(i, type.precision(), type.scale());
                    if (type.isCompactDecimal()) {
                        out.setDecimalUnscaled(i, d.toUnscaledLong());
                    } else {
                        out.setDecimal(i, d.toBigDecimal());
                    }
                }
                case TIMESTAMP -> {
                    TimestampData t = row.getTimestamp(i, type.precision());
                    out.setTimestamp(i, t.getMillisecond(), t.getNanoOfMillisecond());
                }
                case STRING -> {
                    byte[] utf8 = row.getString(i).toBytes();
                    bytesView.wrap(utf8);
                    out.setStringUtf8(i, bytesView, 0, utf8.length);
                }
                case BYTES -> out.setBytes(i, row.getBinary(i));
            }
        }
        return out.complete();
    }
}
