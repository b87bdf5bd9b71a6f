package io.floe.common.key;

import io.floe.common.error.CorruptionException;
import io.floe.common.row.Values;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.agrona.DirectBuffer;

/** Decodes memcomparable keys ({@link KeyLayout}) back to values, checking every byte it reads. */
final class KeyDecoder {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final Schema schema;
    private final int[] keyColumns;
    private final ColumnType[] keyTypes;
    private DirectBuffer src;
    private int pos;
    private int end;
    private int start;

    KeyDecoder(Schema schema, int[] keyColumns, ColumnType[] keyTypes) {
        this.schema = schema;
        this.keyColumns = keyColumns;
        this.keyTypes = keyTypes;
    }

    Object[] decode(DirectBuffer src, int off, int len) {
        if (off < 0 || len < 0 || (long) off + len > src.capacity()) {
            throw new CorruptionException("key", off, "key range [" + off + ", " + ((long) off + len) + ") lies outside its buffer");
        }
        this.src = src;
        this.pos = off;
        this.start = off;
        this.end = off + len;
        Object[] values = new Object[keyColumns.length];
        for (int i = 0; i < keyColumns.length; i++) {
            ColumnType type = keyTypes[i];
            if (type.nullable()) {
                byte marker = src.getByte(take(1, i));
                if (marker == KeyLayout.NULL_MARKER) {
                    continue;
                }
                if (marker != KeyLayout.VALUE_MARKER) {
                    throw bad(i, "null marker " + marker);
                }
            }
            values[i] = switch (type.root()) {
                case BOOLEAN -> {
                    take(1, i);
                    byte b = src.getByte(pos - 1);
                    if (b != 0 && b != 1) {
                        throw bad(i, "BOOLEAN byte " + b);
                    }
                    yield b == 1;
                }
                case INT -> src.getInt(take(4, i), BE) ^ Integer.MIN_VALUE;
                case DATE -> LocalDate.ofEpochDay(src.getInt(take(4, i), BE) ^ Integer.MIN_VALUE);
                case BIGINT -> src.getLong(take(8, i), BE) ^ Long.MIN_VALUE;
                case FLOAT -> KeyLayout.floatFromKey(src.getInt(take(4, i), BE));
                case DOUBLE -> KeyLayout.doubleFromKey(src.getLong(take(8, i), BE));
                case DECIMAL -> decimal(type, i);
                case TIMESTAMP -> {
                    long millis = src.getLong(take(8, i), BE) ^ Long.MIN_VALUE;
                    int nanos = type.isCompactTimestamp() ? 0 : src.getInt(take(4, i), BE);
                    if (nanos < 0 || nanos > 999_999) {
                        throw bad(i, "nanoOfMilli " + nanos);
                    }
                    yield Values.timestamp(millis, nanos);
                }
                case STRING -> new String(unescape(i), StandardCharsets.UTF_8);
                case BYTES -> unescape(i);
            };
        }
        if (pos != end) {
            throw bad(keyColumns.length - 1, (end - pos) + " bytes after the last key column");
        }
        return values;
    }

    private Object decimal(ColumnType type, int i) {
        if (type.isCompactDecimal()) {
            return Values.decimal(BigInteger.valueOf(src.getLong(take(8, i), BE) ^ Long.MIN_VALUE), type.scale());
        }
        byte[] bytes = new byte[16];
        src.getBytes(take(16, i), bytes);
        bytes[0] ^= (byte) 0x80;
        return Values.decimal(new BigInteger(bytes), type.scale());
    }

    private byte[] unescape(int i) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            take(1, i);
            byte b = src.getByte(pos - 1);
            if (b != 0) {
                out.write(b);
                continue;
            }
            take(1, i);
            byte next = src.getByte(pos - 1);
            if (next == 0) {
                return out.toByteArray();
            }
            if (next != KeyLayout.ESCAPE) {
                throw bad(i, "zero byte followed by " + (next & 0xFF) + " (expected 0x00 or 0xFF)");
            }
            out.write(0);
        }
    }

    /** Advances past {@code n} bytes and returns where they start; throws if the key ends first. */
    private int take(int n, int column) {
        if (pos + n > end) {
            throw bad(column, "key ends early");
        }
        int at = pos;
        pos += n;
        return at;
    }

    private CorruptionException bad(int keyIndex, String what) {
        return new CorruptionException("key", start, "key column '" + schema.column(keyColumns[keyIndex]).name() + "' at byte " + (pos - start) + ": " + what);
    }
}
