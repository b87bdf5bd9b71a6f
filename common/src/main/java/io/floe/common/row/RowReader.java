package io.floe.common.row;

import io.floe.common.error.CorruptionException;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.agrona.DirectBuffer;

/**
 * A zero-copy flyweight over one binary row ({@link BinaryRowLayout}) of a schema.
 * {@link #wrap} points it at a row; the getters read the buffer in place. The primitive getters
 * and {@link #varOffset}/{@link #varLength} allocate nothing; the object getters allocate their result.
 *
 * <p>Bad input: a row's bytes may come from a file. {@link #wrap} checks the row is at least as long
 * as its fixed part, and every variable-length reference is checked against the row's length before
 * it is read; a bad one raises {@link CorruptionException} naming the source set by
 * {@link #source(String)} and the row's offset. Getters of the wrong type are not checked: the
 * schema decides the type, so a caller that asks for the wrong one has a bug, not bad data.
 *
 * <p>Memory: does not own the buffer; the row must stay valid while it is wrapped.
 * Threads: single owner.
 */
public final class RowReader {
    private final Schema schema;
    private final int columns;
    private final int fixedBytes;
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private String source = "binary row";

    public RowReader(Schema schema) {
        this.schema = schema;
        this.columns = schema.columnCount();
        this.fixedBytes = BinaryRowLayout.fixedBytes(columns);
    }

    public Schema schema() {
        return schema;
    }

    /** Names where the rows come from, for error messages (a file name, "changelog of bucket 3"). */
    public RowReader source(String source) {
        this.source = source;
        return this;
    }

    /**
     * Points this reader at the row {@code buffer[offset, offset + length)}.
     * Throws {@link CorruptionException} if the range lies outside the buffer or is shorter than
     * the fixed part of the schema's rows.
     */
    public RowReader wrap(DirectBuffer buffer, int offset, int length) {
        if (offset < 0 || length < fixedBytes || (long) offset + length > buffer.capacity()) {
            throw new CorruptionException(source, offset, "row of " + length + " bytes at offset " + offset + " does not fit a buffer of "
                    + buffer.capacity() + " bytes or is shorter than the " + fixedBytes + " fixed bytes of " + schema);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public boolean isNullAt(int column) {
        return (buffer.getLong(offset + ((column >>> 6) << 3)) & (1L << (column & 63))) != 0;
    }

    private long slot(int column) {
        return buffer.getLong(offset + BinaryRowLayout.slotOffset(columns, column));
    }

    public boolean getBoolean(int column) {
        return (slot(column) & 0xFF) != 0;
    }

    /** Returns an INT column, or a DATE column's days since 1970-01-01. */
    public int getInt(int column) {
        return (int) slot(column);
    }

    public long getLong(int column) {
        return slot(column);
    }

    public float getFloat(int column) {
        return Float.intBitsToFloat((int) slot(column));
    }

    public double getDouble(int column) {
        return Double.longBitsToDouble(slot(column));
    }

    /** Returns the unscaled value of a compact DECIMAL (precision &lt;= 18) column. */
    public long getDecimalUnscaled(int column) {
        return slot(column);
    }

    /** Returns the milliseconds since the epoch of a TIMESTAMP column. */
    public long getTimestampMillis(int column) {
        if (schema.type(column).isCompactTimestamp()) {
            return slot(column);
        }
        return buffer.getLong(checkedVarOffset(column, BinaryRowLayout.TIMESTAMP_VAR_BYTES));
    }

    /** Returns the nanoseconds within the millisecond of a TIMESTAMP column (0 for precision &lt;= 3). */
    public int getTimestampNanoOfMilli(int column) {
        if (schema.type(column).isCompactTimestamp()) {
            return 0;
        }
        int nanos = buffer.getInt(checkedVarOffset(column, BinaryRowLayout.TIMESTAMP_VAR_BYTES) + 8);
        if (nanos < 0 || nanos > 999_999) {
            throw new CorruptionException(source, offset, "column '" + schema.column(column).name() + "' has nanoOfMilli " + nanos);
        }
        return nanos;
    }

    /**
     * Returns the absolute offset in {@link #buffer()} of a variable-length column's bytes.
     * Throws {@link CorruptionException} if the reference points outside the row.
     */
    public int varOffset(int column) {
        long ref = slot(column);
        int off = BinaryRowLayout.varOffset(ref);
        int len = BinaryRowLayout.varLength(ref);
        if (off < fixedBytes || len < 0 || (long) off + len > length) {
            throw new CorruptionException(source, offset, "column '" + schema.column(column).name() + "' references bytes [" + off + ", "
                    + ((long) off + len) + ") outside the row of " + length + " bytes");
        }
        return offset + off;
    }

    /** Returns the length of a variable-length column's bytes (checked with {@link #varOffset}). */
    public int varLength(int column) {
        varOffset(column);
        return BinaryRowLayout.varLength(slot(column));
    }

    private int checkedVarOffset(int column, int expectedLength) {
        int at = varOffset(column);
        if (BinaryRowLayout.varLength(slot(column)) != expectedLength) {
            throw new CorruptionException(source, offset, "column '" + schema.column(column).name() + "' has " + BinaryRowLayout.varLength(slot(column))
                    + " bytes, expected " + expectedLength);
        }
        return at;
    }

    public String getString(int column) {
        return buffer.getStringWithoutLengthUtf8(varOffset(column), varLength(column));
    }

    public byte[] getBytes(int column) {
        byte[] bytes = new byte[varLength(column)];
        buffer.getBytes(varOffset(column), bytes);
        return bytes;
    }

    public BigDecimal getDecimal(int column) {
        ColumnType type = schema.type(column);
        if (type.isCompactDecimal()) {
            return BigDecimal.valueOf(slot(column), type.scale());
        }
        int len = varLength(column);
        if (len < 1 || len > BinaryRowLayout.MAX_DECIMAL_VAR_BYTES) {
            throw new CorruptionException(source, offset, "column '" + schema.column(column).name() + "' has a DECIMAL of " + len + " bytes");
        }
        return Values.decimal(new BigInteger(getBytes(column)), type.scale());
    }

    public LocalDateTime getTimestamp(int column) {
        return Values.timestamp(getTimestampMillis(column), getTimestampNanoOfMilli(column));
    }

    public LocalDate getDate(int column) {
        return LocalDate.ofEpochDay(getInt(column));
    }

    /** Returns column {@code column} as the Java value {@link RowWriter#setObject} takes, or null. */
    public Object getObject(int column) {
        if (isNullAt(column)) {
            return null;
        }
        return switch (schema.type(column).root()) {
            case BOOLEAN -> getBoolean(column);
            case INT -> getInt(column);
            case BIGINT -> getLong(column);
            case FLOAT -> getFloat(column);
            case DOUBLE -> getDouble(column);
            case DECIMAL -> getDecimal(column);
            case DATE -> getDate(column);
            case TIMESTAMP -> getTimestamp(column);
            case STRING -> getString(column);
            case BYTES -> getBytes(column);
        };
    }

    /** Returns every column as {@link #getObject}, in column order. */
    public Object[] toObjects() {
        Object[] values = new Object[columns];
        for (int i = 0; i < columns; i++) {
            values[i] = getObject(i);
        }
        return values;
    }
}
