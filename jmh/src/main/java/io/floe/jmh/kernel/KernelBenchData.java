package io.floe.jmh.kernel;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The rows both engines store: {@code (id BIGINT NOT NULL, qty INT, price DOUBLE, name STRING)}
 * with a 60-character name, so that each binary row is exactly {@value #ROW_BYTES} bytes; RocksDB
 * stores the same row bytes under the same 8-byte memcomparable key Floe uses. Built once, on the
 * heap, before any measurement.
 */
final class KernelBenchData {
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("qty", "INT").column("price", "DOUBLE")
            .column("name", "STRING").primaryKey("id").build();
    static final int ROW_BYTES = 100;
    static final int KEY_BYTES = 8;

    final int count;
    final byte[] rows;
    final byte[] keys;
    final UnsafeBuffer rowView;
    final UnsafeBuffer keyView;

    /** Rows for ids {@code ids[i]}. */
    KernelBenchData(long[] ids, long seed) {
        this.count = ids.length;
        this.rows = new byte[count * ROW_BYTES];
        this.keys = new byte[count * KEY_BYTES];
        this.rowView = new UnsafeBuffer(rows);
        this.keyView = new UnsafeBuffer(keys);
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder name = new StringBuilder();
        try (OffHeapAllocator allocator = new OffHeapAllocator("bench-data", Long.MAX_VALUE);
             RowWriter w = new RowWriter(SCHEMA, allocator)) {
            for (int i = 0; i < count; i++) {
                name.setLength(0);
                for (int c = 0; c < 60; c++) {
                    name.append((char) ('a' + r.nextInt(26)));
                }
                w.reset().setLong(0, ids[i]).setInt(1, r.nextInt(1000)).setDouble(2, r.nextDouble() * 100).setString(3, name);
                int length = w.complete();
                if (length != ROW_BYTES) {
                    throw new IllegalStateException("row is " + length + " bytes, expected " + ROW_BYTES);
                }
                w.buffer().getBytes(0, rows, i * ROW_BYTES, ROW_BYTES);
                // The memcomparable key of a BIGINT NOT NULL column: big-endian with the sign bit flipped.
                keyView.putLong(i * KEY_BYTES, ids[i] ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
            }
        }
    }

    /** Returns ids 0..n-1 in a random order. */
    static long[] shuffledIds(int n, long seed) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        return ids;
    }

    /** Returns a copy of key {@code i} (for RocksDB's byte[] API). */
    byte[] key(int i) {
        byte[] k = new byte[KEY_BYTES];
        System.arraycopy(keys, i * KEY_BYTES, k, 0, KEY_BYTES);
        return k;
    }
}
