package io.floe.kernel;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test helper: a table's writers, rows as Object[] routed to their buckets ({@link #upsertRow},
 * {@link #deleteRow}), and for tables of {@link #SCHEMA} (id BIGINT key, v BIGINT, s STRING) the
 * shorthands {@link #upsert}, {@link #delete}, {@link #get} and {@link #lookup}.
 */
final class TableHarness implements AutoCloseable {
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").column("s", "STRING")
            .primaryKey("id").build();

    final Table table;
    final BucketWriter[] writers;
    private final OffHeapAllocator scratch = new OffHeapAllocator("test rows", Long.MAX_VALUE);
    private final RowWriter row;
    private final RowReader reader;

    TableHarness(Table table) {
        this.table = table;
        this.row = new RowWriter(table.schema(), scratch);
        this.reader = new RowReader(table.schema());
        this.writers = new BucketWriter[table.bucketCount()];
        for (int b = 0; b < writers.length; b++) {
            writers[b] = table.writer(b);
        }
    }

    private int bucketOf(Object[] values) {
        row.reset().setAll(values);
        row.complete();
        return table.bucketOf(reader.wrap(row.buffer(), 0, row.length()));
    }

    /** Upserts {@code values} (a row of the table's schema) through its bucket's writer; returns its seq. */
    long upsertRow(Object[] values) {
        int b = bucketOf(values);
        return writers[b].upsert(row.buffer(), 0, row.length());
    }

    /** Deletes the key of {@code values} (a row of the table's schema) through its bucket's writer; returns its seq. */
    long deleteRow(Object[] values) {
        int b = bucketOf(values);
        return writers[b].delete(row.buffer(), 0, row.length());
    }

    long upsert(long id, Long v, String s) {
        return upsertRow(new Object[] {id, v, s});
    }

    long delete(long id) {
        return deleteRow(new Object[] {id, null, null});
    }

    void commit(long checkpointId) {
        for (BucketWriter w : writers) {
            w.commit(checkpointId);
        }
    }

    void flush() {
        for (BucketWriter w : writers) {
            w.flush();
        }
    }

    /** Returns the row of {@code id} or null. */
    Object[] get(long id) {
        row.reset().setAll(id, null, null);
        row.complete();
        byte[] found = table.get(reader.wrap(row.buffer(), 0, row.length()));
        return found == null ? null : new RowReader(SCHEMA).wrap(new org.agrona.concurrent.UnsafeBuffer(found), 0, found.length).toObjects();
    }

    /** Returns the row of {@code id} or null, through a reusable {@link Lookup}. */
    Object[] lookup(Lookup lookup, long id) {
        row.reset().setAll(id, null, null);
        row.complete();
        io.floe.common.key.KeyEncoder keys = table.keyEncoder();
        reader.wrap(row.buffer(), 0, row.length());
        byte[] key = new byte[keys.maxLength(reader)];
        int length = keys.encode(reader, new org.agrona.concurrent.UnsafeBuffer(key), 0);
        return lookup.get(new org.agrona.concurrent.UnsafeBuffer(key), 0, length) ? lookup.row().toObjects() : null;
    }

    /** Returns every row of the snapshot, by bucket then key order, as lists. */
    static List<List<Object>> scanAll(Snapshot s, ScanOptions options) {
        List<List<Object>> out = new ArrayList<>();
        for (int b = 0; b < s.bucketCount(); b++) {
            try (RowScan scan = s.scan(b, options)) {
                while (scan.next()) {
                    out.add(Arrays.asList(scan.row().toObjects()));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (BucketWriter w : writers) {
            w.close();
        }
        row.close();
        scratch.close();
    }
}
