package io.floe.flink;

import io.floe.common.row.RowReader;
import io.floe.common.schema.Schema;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RawValueData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;
import org.apache.flink.types.variant.Variant;

/**
 * Flink's {@link RowData} over a Floe binary row, read in place through a {@link RowReader}.
 * Fixed-width fields are read without copying; strings, bytes and wide decimals are copied into
 * their Flink objects, so a row handed to Flink never points at Floe's off-heap memory (Flink may
 * keep rows after the reader has moved on).
 *
 * <p>Threads: single owner; a flyweight: {@link #wrap} re-points it. To keep a row, copy it
 * (Flink's serializers do).
 */
public final class FloeRowData implements RowData {
    private final Schema schema;
    private RowReader row;
    private RowKind kind = RowKind.INSERT;

    public FloeRowData(Schema schema) {
        this.schema = schema;
    }

    /** Points this view at {@code row} with change kind {@code kind}. */
    public FloeRowData wrap(RowReader row, RowKind kind) {
        this.row = row;
        this.kind = kind;
        return this;
    }

    @Override
    public int getArity() {
        return schema.columnCount();
    }

    @Override
    public RowKind getRowKind() {
        return kind;
    }

    @Override
    public void setRowKind(RowKind kind) {
        this.kind = kind;
    }

    @Override
    public boolean isNullAt(int pos) {
        return row.isNullAt(pos);
    }

    @Override
    public boolean getBoolean(int pos) {
        return row.getBoolean(pos);
    }

    @Override
    public byte getByte(int pos) {
        throw unsupported(pos, "TINYINT");
    }

    @Override
    public short getShort(int pos) {
        throw unsupported(pos, "SMALLINT");
    }

    @Override
    public int getInt(int pos) {
        return row.getInt(pos); // INT and DATE (days since the epoch), as Flink stores DATE
    }

    @Override
    public long getLong(int pos) {
        return row.getLong(pos);
    }

    @Override
    public float getFloat(int pos) {
        return row.getFloat(pos);
    }

    @Override
    public double getDouble(int pos) {
        return row.getDouble(pos);
    }

    @Override
    public StringData getString(int pos) {
        return StringData.fromBytes(row.getBytes(pos));
    }

    @Override
    public DecimalData getDecimal(int pos, int precision, int scale) {
        if (schema.type(pos).isCompactDecimal()) {
            return DecimalData.fromUnscaledLong(row.getDecimalUnscaled(pos), precision, scale);
        }
        return DecimalData.fromBigDecimal(row.getDecimal(pos), precision, scale);
    }

    @Override
    public TimestampData getTimestamp(int pos, int precision) {
        return TimestampData.fromEpochMillis(row.getTimestampMillis(pos), row.getTimestampNanoOfMilli(pos));
    }

    @Override
    public <T> RawValueData<T> getRawValue(int pos) {
        throw unsupported(pos, "RAW");
    }

    @Override
    public byte[] getBinary(int pos) {
        return row.getBytes(pos);
    }

    @Override
    public ArrayData getArray(int pos) {
        throw unsupported(pos, "ARRAY");
    }

    @Override
    public MapData getMap(int pos) {
        throw unsupported(pos, "MAP");
    }

    @Override
    public RowData getRow(int pos, int numFields) {
        throw unsupported(pos, "ROW");
    }

    @Override
    public Variant getVariant(int pos) {
        throw unsupported(pos, "VARIANT");
    }

    private UnsupportedOperationException unsupported(int pos, String type) {
        return new UnsupportedOperationException("column '" + schema.column(pos).name() + "' is " + schema.type(pos) + " in Floe, not " + type);
    }
}
