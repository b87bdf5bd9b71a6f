package io.floe.common.key;

import io.floe.common.error.CorruptionException;
import io.floe.common.error.SchemaMismatchException;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.row.BinaryRowLayout;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the primary key of a row as memcomparable bytes: comparing two encoded keys as unsigned
 * bytes ({@link io.floe.common.bytes.ByteComparisons}) gives the same order as comparing the key
 * values column by column (nulls first). Layout in {@link KeyLayout}.
 *
 * <p>{@link #encode(RowReader, GrowableBuffer)} allocates nothing once the buffer is large enough.
 * Threads: stateless apart from the schema; safe from any thread.
 */
public final class KeyEncoder {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final Schema schema;
    private final int[] keyColumns;
    private final ColumnType[] keyTypes;

    public KeyEncoder(Schema schema) {
        this.schema = schema;
        this.keyColumns = schema.primaryKey();
        this.keyTypes = new ColumnType[keyColumns.length];
        for (int i = 0; i < keyColumns.length; i++) {
            keyTypes[i] = schema.type(keyColumns[i]);
        }
    }

    public Schema schema() {
        return schema;
    }

    /** Encodes the key of {@code row} at offset 0 of {@code dst} and returns its length. */
    public int encode(RowReader row, GrowableBuffer dst) {
        dst.ensureCapacity(maxLength(row), 0);
        return encode(row, dst.buffer(), 0);
    }

    /** Returns the most bytes the key of {@code row} can encode to. */
    public int maxLength(RowReader row) {
        long max = 0;
        for (int i = 0; i < keyColumns.length; i++) {
            ColumnType type = keyTypes[i];
            max += 1; // null marker
            if (row.isNullAt(keyColumns[i])) {
                continue;
            }
            max += switch (type.root()) {
                case STRING, BYTES -> 2L * row.varLength(keyColumns[i]) + KeyLayout.TERMINATOR_BYTES;
                default -> KeyLayout.fixedWidth(type);
            };
        }
        if (max > Integer.MAX_VALUE - 8) {
            throw new SchemaMismatchException("key of " + max + " bytes is too large");
        }
        return (int) max;
    }

    /**
     * Encodes the key of {@code row} at {@code at} and returns its length.
     * Requires: {@code dst} has {@link #maxLength(RowReader)} bytes at {@code at}.
     */
    public int encode(RowReader row, MutableDirectBuffer dst, int at) {
        int start = at;
        for (int i = 0; i < keyColumns.length; i++) {
            int c = keyColumns[i];
            ColumnType type = keyTypes[i];
            if (type.nullable()) {
                if (row.isNullAt(c)) {
                    dst.putByte(at++, KeyLayout.NULL_MARKER);
                    continue;
                }
                dst.putByte(at++, KeyLayout.VALUE_MARKER);
            } else if (row.isNullAt(c)) {
                throw new SchemaMismatchException("key column '" + schema.column(c).name() + "' is NOT NULL but the row has null");
            }
            switch (type.root()) {
                case BOOLEAN -> dst.putByte(at++, (byte) (row.getBoolean(c) ? 1 : 0));
                case INT, DATE -> {
                    dst.putInt(at, row.getInt(c) ^ Integer.MIN_VALUE, BE);
                    at += 4;
                }
                case BIGINT -> {
                    dst.putLong(at, row.getLong(c) ^ Long.MIN_VALUE, BE);
                    at += 8;
                }
                case FLOAT -> {
                    dst.putInt(at, KeyLayout.floatKey(row.getFloat(c)), BE);
                    at += 4;
                }
                case DOUBLE -> {
                    dst.putLong(at, KeyLayout.doubleKey(row.getDouble(c)), BE);
                    at += 8;
                }
                case DECIMAL -> at = encodeDecimal(row, c, type, dst, at);
                case TIMESTAMP -> {
                    dst.putLong(at, row.getTimestampMillis(c) ^ Long.MIN_VALUE, BE);
                    at += 8;
                    if (!type.isCompactTimestamp()) {
                        dst.putInt(at, row.getTimestampNanoOfMilli(c), BE);
                        at += 4;
                    }
                }
                case STRING, BYTES -> at = KeyLayout.putEscaped(row.buffer(), row.varOffset(c), row.varLength(c), dst, at);
            }
        }
        return at - start;
    }

    private static int encodeDecimal(RowReader row, int c, ColumnType type, MutableDirectBuffer dst, int at) {
        if (type.isCompactDecimal()) {
            dst.putLong(at, row.getDecimalUnscaled(c) ^ Long.MIN_VALUE, BE);
            return at + 8;
        }
        int len = row.varLength(c);
        int off = row.varOffset(c);
        if (len < 1 || len > BinaryRowLayout.MAX_DECIMAL_VAR_BYTES) {
            throw new CorruptionException("binary row", row.offset(), "DECIMAL key column of " + len + " bytes");
        }
        byte fill = row.buffer().getByte(off) < 0 ? (byte) 0xFF : 0;
        int pad = BinaryRowLayout.MAX_DECIMAL_VAR_BYTES - len;
        dst.setMemory(at, pad, fill);
        dst.putBytes(at + pad, row.buffer(), off, len);
        dst.putByte(at, (byte) (dst.getByte(at) ^ 0x80));
        return at + BinaryRowLayout.MAX_DECIMAL_VAR_BYTES;
    }

    /**
     * Encodes a key given as Java values in key order (as {@link RowWriter#setObject} takes them),
     * using {@code scratch} to build a row, and returns the key's length at offset 0 of {@code dst}.
     * For lookups by key from APIs and tools; not allocation-free.
     */
    public int encodeValues(Object[] keyValues, RowWriter scratch, GrowableBuffer dst) {
        if (keyValues.length != keyColumns.length) {
            throw new SchemaMismatchException("key has " + keyValues.length + " values but the primary key " + schema.primaryKeyNames()
                    + " has " + keyColumns.length + " columns");
        }
        scratch.reset();
        for (int i = 0; i < keyColumns.length; i++) {
            scratch.setObject(keyColumns[i], keyValues[i]);
        }
        RowReader reader = new RowReader(schema).wrap(scratch.buffer(), 0, scratch.length());
        return encode(reader, dst);
    }

    /**
     * Returns the key values (in key order, as {@link RowReader#getObject} returns them) of the key
     * {@code src[off, off + len)}. Throws {@link CorruptionException} if it is not a well-formed key
     * of this schema.
     */
    public Object[] decode(DirectBuffer src, int off, int len) {
        return new KeyDecoder(schema, keyColumns, keyTypes).decode(src, off, len);
    }
}
