package io.floe.common.row;

import io.floe.common.error.SchemaMismatchException;
import io.floe.common.error.ValueOutOfRangeException;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.schema.TypeRoot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds binary rows ({@link BinaryRowLayout}) of one schema into a reusable off-heap buffer.
 *
 * <p>Use: {@link #reset()}, set each column (a column not set stays null), {@link #complete()},
 * then read the row at {@code (buffer(), 0, length())} until the next {@code reset()}. Setting a
 * variable-length column twice leaves the first value's bytes unused in the row.
 *
 * <p>The primitive setters and {@link #setString(int, CharSequence)} allocate nothing once the
 * buffer is large enough; {@link #setObject} and the DECIMAL/TIMESTAMP object setters may.
 *
 * <p>Memory: the buffer is allocated from the given allocator ({@link MemoryPurpose#ROW}) and freed
 * by {@link #close()}. Threads: single owner.
 */
public final class RowWriter implements AutoCloseable {
    private final Schema schema;
    private final ColumnType[] types;
    private final int columns;
    private final int fixedBytes;
    private final GrowableBuffer scratch;
    private int end;

    public RowWriter(Schema schema, OffHeapAllocator allocator) {
        this.schema = schema;
        this.columns = schema.columnCount();
        this.types = new ColumnType[columns];
        for (int i = 0; i < columns; i++) {
            types[i] = schema.type(i);
        }
        this.fixedBytes = BinaryRowLayout.fixedBytes(columns);
        this.scratch = new GrowableBuffer(allocator, MemoryPurpose.ROW, Math.max(256, fixedBytes * 2));
        reset();
    }

    public Schema schema() {
        return schema;
    }

    /** Starts a new row with every column null. */
    public RowWriter reset() {
        UnsafeBuffer b = scratch.buffer();
        b.setMemory(0, fixedBytes, (byte) 0);
        for (int word = 0; word < BinaryRowLayout.bitmapBytes(columns) / 8; word++) {
            int bitsInWord = Math.min(64, columns - word * 64);
            b.putLong(word * 8, bitsInWord == 64 ? -1L : (1L << bitsInWord) - 1);
        }
        end = fixedBytes;
        return this;
    }

    public RowWriter setNull(int column) {
        UnsafeBuffer b = scratch.buffer();
        int word = (column >>> 6) << 3;
        b.putLong(word, b.getLong(word) | (1L << (column & 63)));
        b.putLong(BinaryRowLayout.slotOffset(columns, column), 0L);
        return this;
    }

    private void putSlot(int column, long value) {
        UnsafeBuffer b = scratch.buffer();
        int word = (column >>> 6) << 3;
        b.putLong(word, b.getLong(word) & ~(1L << (column & 63)));
        b.putLong(BinaryRowLayout.slotOffset(columns, column), value);
    }

    private void expect(int column, TypeRoot root) {
        if (types[column].root() != root) {
            throw new SchemaMismatchException("column '" + schema.column(column).name() + "' is " + types[column] + ", not " + root);
        }
    }

    public RowWriter setBoolean(int column, boolean value) {
        expect(column, TypeRoot.BOOLEAN);
        putSlot(column, value ? 1 : 0);
        return this;
    }

    public RowWriter setInt(int column, int value) {
        expect(column, TypeRoot.INT);
        putSlot(column, value);
        return this;
    }

    /** Sets a DATE column to {@code days} since 1970-01-01. */
    public RowWriter setDate(int column, int days) {
        expect(column, TypeRoot.DATE);
        putSlot(column, days);
        return this;
    }

    public RowWriter setLong(int column, long value) {
        expect(column, TypeRoot.BIGINT);
        putSlot(column, value);
        return this;
    }

    public RowWriter setFloat(int column, float value) {
        expect(column, TypeRoot.FLOAT);
        putSlot(column, Float.floatToRawIntBits(value) & 0xFFFFFFFFL);
        return this;
    }

    public RowWriter setDouble(int column, double value) {
        expect(column, TypeRoot.DOUBLE);
        putSlot(column, Double.doubleToRawLongBits(value));
        return this;
    }

    /**
     * Sets a DECIMAL column to the unscaled value {@code unscaled} (the value times 10^scale).
     * Throws {@link ValueOutOfRangeException} if it has more digits than the precision.
     */
    public RowWriter setDecimalUnscaled(int column, long unscaled) {
        expect(column, TypeRoot.DECIMAL);
        ColumnType type = types[column];
        if (!Values.fitsPrecision(unscaled, type.precision())) {
            throw new ValueOutOfRangeException("unscaled value " + unscaled + " does not fit " + type + " of column '" + schema.column(column).name() + "'");
        }
        if (type.isCompactDecimal()) {
            putSlot(column, unscaled);
            return this;
        }
        return putDecimalBytes(column, BigInteger.valueOf(unscaled));
    }

    /** Sets a DECIMAL column, rounding half up to its scale. Throws {@link ValueOutOfRangeException} if it does not fit. */
    public RowWriter setDecimal(int column, BigDecimal value) {
        expect(column, TypeRoot.DECIMAL);
        BigInteger unscaled = Values.unscaled(value, types[column], schema.column(column).name());
        if (types[column].isCompactDecimal()) {
            putSlot(column, unscaled.longValueExact());
            return this;
        }
        return putDecimalBytes(column, unscaled);
    }

    private RowWriter putDecimalBytes(int column, BigInteger unscaled) {
        byte[] bytes = unscaled.toByteArray();
        int at = reserve(column, bytes.length);
        scratch.buffer().putBytes(at, bytes);
        return this;
    }

    /**
     * Sets a TIMESTAMP column to {@code millis} since the epoch and {@code nanoOfMilli}
     * (0..999,999), truncated to the column's precision.
     */
    public RowWriter setTimestamp(int column, long millis, int nanoOfMilli) {
        expect(column, TypeRoot.TIMESTAMP);
        ColumnType type = types[column];
        if (nanoOfMilli < 0 || nanoOfMilli > 999_999) {
            throw new ValueOutOfRangeException("nanoOfMilli " + nanoOfMilli + " of column '" + schema.column(column).name() + "' is outside 0..999999");
        }
        int p = type.precision();
        if (p < 3) {
            long unit = p == 0 ? 1000 : p == 1 ? 100 : 10;
            millis = Math.floorDiv(millis, unit) * unit;
        }
        if (type.isCompactTimestamp()) {
            putSlot(column, millis);
            return this;
        }
        int nanos = Values.truncateNanos(nanoOfMilli, p);
        int at = reserve(column, BinaryRowLayout.TIMESTAMP_VAR_BYTES);
        UnsafeBuffer b = scratch.buffer();
        b.putLong(at, millis);
        b.putInt(at + 8, nanos);
        return this;
    }

    public RowWriter setTimestamp(int column, LocalDateTime value) {
        int p = types[column].precision();
        return setTimestamp(column, Values.millis(value, p), Values.nanoOfMilli(value, p));
    }

    /** Sets a STRING column to the UTF-8 encoding of {@code value} (unpaired surrogates become '?'). */
    public RowWriter setString(int column, CharSequence value) {
        expect(column, TypeRoot.STRING);
        int length = value.length();
        int at = reserve(column, Utf8.maxEncodedLength(length));
        int written = Utf8.encode(value, scratch.buffer(), at);
        shrinkLast(column, at, written);
        return this;
    }

    /** Sets a STRING column to UTF-8 bytes that the caller vouches for. */
    public RowWriter setStringUtf8(int column, DirectBuffer utf8, int offset, int length) {
        expect(column, TypeRoot.STRING);
        int at = reserve(column, length);
        scratch.buffer().putBytes(at, utf8, offset, length);
        return this;
    }

    public RowWriter setBytes(int column, byte[] value) {
        expect(column, TypeRoot.BYTES);
        int at = reserve(column, value.length);
        scratch.buffer().putBytes(at, value);
        return this;
    }

    public RowWriter setBytes(int column, DirectBuffer value, int offset, int length) {
        expect(column, TypeRoot.BYTES);
        int at = reserve(column, length);
        scratch.buffer().putBytes(at, value, offset, length);
        return this;
    }

    /**
     * Sets column {@code column} from a Java value: Boolean, Integer, Long, Float, Double,
     * BigDecimal, LocalDate (or Integer days), LocalDateTime, String, byte[]; null sets null.
     * Throws {@link SchemaMismatchException} if the value's class does not fit the column type.
     */
    public RowWriter setObject(int column, Object value) {
        if (value == null) {
            return setNull(column);
        }
        ColumnType type = types[column];
        try {
            return switch (type.root()) {
                case BOOLEAN -> setBoolean(column, (Boolean) value);
                case INT -> setInt(column, ((Number) value).intValue());
                case BIGINT -> setLong(column, ((Number) value).longValue());
                case FLOAT -> setFloat(column, ((Number) value).floatValue());
                case DOUBLE -> setDouble(column, ((Number) value).doubleValue());
                case DECIMAL -> setDecimal(column, value instanceof BigDecimal d ? d : new BigDecimal(value.toString()));
                case DATE -> setDate(column, value instanceof LocalDate d ? Values.days(d) : ((Integer) value));
                case TIMESTAMP -> setTimestamp(column, (LocalDateTime) value);
                case STRING -> setString(column, value.toString());
                case BYTES -> setBytes(column, (byte[]) value);
            };
        } catch (ClassCastException e) {
            throw new SchemaMismatchException("column '" + schema.column(column).name() + "' is " + type + "; cannot store a "
                    + value.getClass().getSimpleName() + " (" + value + ")");
        }
    }

    /**
     * Sets column {@code column} to column {@code from} of {@code src} (null included), without
     * boxing: allocates nothing except for DECIMAL of precision above 18 (through {@link BigDecimal}).
     * Requires: both columns have the same type (root, precision and scale).
     */
    public RowWriter setFrom(int column, RowReader src, int from) {
        if (src.isNullAt(from)) {
            return setNull(column);
        }
        ColumnType type = src.schema().type(from);
        return switch (type.root()) {
            case BOOLEAN -> setBoolean(column, src.getBoolean(from));
            case INT -> setInt(column, src.getInt(from));
            case DATE -> setDate(column, src.getInt(from));
            case BIGINT -> setLong(column, src.getLong(from));
            case FLOAT -> setFloat(column, src.getFloat(from));
            case DOUBLE -> setDouble(column, src.getDouble(from));
            case DECIMAL -> type.isCompactDecimal() ? setDecimalUnscaled(column, src.getDecimalUnscaled(from))
                    : setDecimal(column, src.getDecimal(from));
            case TIMESTAMP -> setTimestamp(column, src.getTimestampMillis(from), src.getTimestampNanoOfMilli(from));
            case STRING -> setStringUtf8(column, src.buffer(), src.varOffset(from), src.varLength(from));
            case BYTES -> setBytes(column, src.buffer(), src.varOffset(from), src.varLength(from));
        };
    }

    /** Sets every column from {@code values}, in column order. */
    public RowWriter setAll(Object... values) {
        if (values.length != columns) {
            throw new SchemaMismatchException("row has " + values.length + " values but the schema " + schema + " has " + columns + " columns");
        }
        for (int i = 0; i < columns; i++) {
            setObject(i, values[i]);
        }
        return this;
    }

    private int reserve(int column, int length) {
        int at = end;
        scratch.ensureCapacity((long) at + length, at);
        end = at + length;
        putSlot(column, BinaryRowLayout.varReference(at, length));
        return at;
    }

    private void shrinkLast(int column, int at, int length) {
        end = at + length;
        putSlot(column, BinaryRowLayout.varReference(at, length));
    }

    /**
     * Finishes the row and returns its length.
     * Throws {@link ValueOutOfRangeException} if a NOT NULL column is null.
     */
    public int complete() {
        UnsafeBuffer b = scratch.buffer();
        for (int i = 0; i < columns; i++) {
            if (!types[i].nullable() && (b.getLong((i >>> 6) << 3) & (1L << (i & 63))) != 0) {
                throw new ValueOutOfRangeException("column '" + schema.column(i).name() + "' is NOT NULL but was not set");
            }
        }
        return end;
    }

    /** Returns the length of the row so far. */
    public int length() {
        return end;
    }

    /** Returns the buffer holding the row at offset 0; valid until the next set, reset or close. */
    public UnsafeBuffer buffer() {
        return scratch.buffer();
    }

    /** Returns a copy of the row's bytes (for tests and tools, not hot paths). */
    public byte[] toByteArray() {
        byte[] bytes = new byte[end];
        scratch.buffer().getBytes(0, bytes);
        return bytes;
    }

    @Override
    public void close() {
        scratch.close();
    }
}
