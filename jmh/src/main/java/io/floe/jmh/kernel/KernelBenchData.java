package io.floe.jmh.kernel;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.BinaryRowLayout;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The rows every engine stores. With the default shape ({@value #DEFAULT_COLUMNS} columns,
 * {@value #DEFAULT_ROW_BYTES}-byte rows) the schema is {@code (id BIGINT NOT NULL, qty INT, price
 * DOUBLE, name STRING)} with a 60-character name. Other shapes ({@code columns}, {@code valueBytes}
 * parameters): {@code id}, then alternating INT and DOUBLE columns, then {@code name STRING}, whose
 * length makes every binary row exactly {@code rowBytes} bytes. RocksDB stores the same row bytes
 * under the same 8-byte memcomparable key Floe uses; Paimon stores the same values in its own row
 * format. Built once, on the heap, before any measurement.
 */
final class KernelBenchData {
    static final int DEFAULT_COLUMNS = 4;
    static final int DEFAULT_ROW_BYTES = 100;
    static final int KEY_BYTES = 8;

    final Schema schema;
    final int rowBytes;
    final int count;
    final byte[] rows;
    final byte[] keys;
    final UnsafeBuffer rowView;
    final UnsafeBuffer keyView;

    /** Rows of the default shape for ids {@code ids[i]}. */
    KernelBenchData(long[] ids, long seed) {
        this(ids, seed, DEFAULT_COLUMNS, DEFAULT_ROW_BYTES);
    }

    /**
     * Rows of {@code columns} columns and {@code rowBytes} bytes for ids {@code ids[i]}.
     * Throws {@link IllegalArgumentException} if {@code columns} is below 2 or the row cannot be that small.
     */
    KernelBenchData(long[] ids, long seed, int columns, int rowBytes) {
        this.schema = schema(columns);
        int nameBytes = rowBytes - BinaryRowLayout.fixedBytes(columns);
        if (nameBytes < 0) {
            throw new IllegalArgumentException(columns + " columns need rows of at least " + BinaryRowLayout.fixedBytes(columns)
                    + " bytes (valueBytes=" + rowBytes + ")");
        }
        this.rowBytes = rowBytes;
        this.count = ids.length;
        this.rows = new byte[Math.multiplyExact(count, rowBytes)];
        this.keys = new byte[count * KEY_BYTES];
        this.rowView = new UnsafeBuffer(rows);
        this.keyView = new UnsafeBuffer(keys);
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder name = new StringBuilder();
        int nameColumn = columns - 1;
        try (OffHeapAllocator allocator = new OffHeapAllocator("bench-data", Long.MAX_VALUE);
             RowWriter w = new RowWriter(schema, allocator)) {
            for (int i = 0; i < count; i++) {
                name.setLength(0);
                for (int c = 0; c < nameBytes; c++) {
                    name.append((char) ('a' + r.nextInt(26)));
                }
                w.reset().setLong(0, ids[i]);
                for (int c = 1; c < nameColumn; c++) {
                    if (c % 2 == 1) {
                        w.setInt(c, r.nextInt(1000));
                    } else {
                        w.setDouble(c, r.nextDouble() * 100);
                    }
                }
                w.setString(nameColumn, name);
                int length = w.complete();
                if (length != rowBytes) {
                    throw new IllegalStateException("row is " + length + " bytes, expected " + rowBytes);
                }
                w.buffer().getBytes(0, rows, i * rowBytes, rowBytes);
                // The memcomparable key of a BIGINT NOT NULL column: big-endian with the sign bit flipped.
                keyView.putLong(i * KEY_BYTES, ids[i] ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
            }
        }
    }

    /**
     * Returns the schema of rows of {@code columns} columns: {@code id BIGINT NOT NULL} (the key),
     * then INT and DOUBLE by turns ({@code qty}, {@code price}, {@code c3}, ...), then {@code name STRING}.
     * Throws {@link IllegalArgumentException} if {@code columns < 2}.
     */
    static Schema schema(int columns) {
        if (columns < 2) {
            throw new IllegalArgumentException("a benchmark row has at least 2 columns (id, name), got " + columns);
        }
        Schema.Builder b = Schema.builder().column("id", "BIGINT NOT NULL");
        for (int c = 1; c < columns - 1; c++) {
            String name = c == 1 ? "qty" : c == 2 ? "price" : "c" + c;
            b.column(name, c % 2 == 1 ? "INT" : "DOUBLE");
        }
        return b.column("name", "STRING").primaryKey("id").build();
    }

    /** Returns the id of row {@code i}. */
    long id(int i) {
        return keyView.getLong(i * KEY_BYTES, ByteOrder.BIG_ENDIAN) ^ Long.MIN_VALUE;
    }

    /** Returns a copy of key {@code i} (for RocksDB's byte[] API). */
    byte[] key(int i) {
        byte[] k = new byte[KEY_BYTES];
        System.arraycopy(keys, i * KEY_BYTES, k, 0, KEY_BYTES);
        return k;
    }
}
