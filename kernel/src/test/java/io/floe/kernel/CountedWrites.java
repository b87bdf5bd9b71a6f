package io.floe.kernel;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Test helper for commit tests: write v (for v = 0, 1, 2, ...) is the row (k = v % 50, v, cnt 1) of a
 * {@link CrashLoopTest#SCHEMA} table with the aggregation engine (cnt summed), so the table after
 * writes [0, v] is {@link #expected(long)} exactly, and a lost or doubled write changes a count.
 * Single owner; close it to free its row buffer.
 */
final class CountedWrites implements AutoCloseable {
    private final OffHeapAllocator scratch = new OffHeapAllocator("test rows", Long.MAX_VALUE);
    private final RowWriter row = new RowWriter(CrashLoopTest.SCHEMA, scratch);
    private final RowReader reader = new RowReader(CrashLoopTest.SCHEMA);

    /** Opens the store in {@code dir} with fsynced commits and {@code policy}. */
    static Floe open(java.nio.file.Path dir, io.floe.kernel.options.RecoveryPolicy policy) {
        return Floe.open(dir, io.floe.kernel.options.FloeOptions.defaults(), io.floe.changelog.SyncMode.FSYNC_ON_COMMIT, policy);
    }

    /** Creates or opens the one-bucket table "t" these writes go to (the aggregation engine counts them). */
    static Table table(Floe floe) {
        return floe.table("t", CrashLoopTest.SCHEMA, CrashLoopTest.options().withBuckets(1));
    }

    /** Writes v for every v in [from, to]. */
    void write(BucketWriter w, long from, long to) {
        for (long v = from; v <= to; v++) {
            row.reset().setAll(v % 50, v, 1L);
            row.complete();
            w.upsert(row.buffer(), 0, row.length());
        }
    }

    /** Returns the v of every record a tailer of bucket 0 from the start returns, in order. */
    List<Long> tailValues(Table t, IsolationLevel isolation) {
        List<Long> out = new ArrayList<>();
        try (ChangelogTailer tailer = t.tail(0, 0, isolation)) {
            for (ChangelogRecord r = tailer.poll(); r != null; r = tailer.poll()) {
                out.add(reader.wrap(r.row(), 0, r.rowLength()).getLong(1));
            }
        }
        return out;
    }

    /** Returns key → {v, cnt} of bucket 0 as {@code s} sees it. */
    static TreeMap<Long, List<Long>> rows(Snapshot s) {
        TreeMap<Long, List<Long>> out = new TreeMap<>();
        try (RowScan scan = s.scan(0, ScanOptions.all())) {
            while (scan.next()) {
                out.put(scan.row().getLong(0), List.of(scan.row().getLong(1), scan.row().getLong(2)));
            }
        }
        return out;
    }

    /** Returns key → {v, cnt} of bucket 0 in a new read-uncommitted snapshot. */
    static TreeMap<Long, List<Long>> rows(Table t) {
        return rows(t, IsolationLevel.READ_UNCOMMITTED);
    }

    /** Returns key → {v, cnt} of bucket 0 in a new snapshot at {@code isolation}. */
    static TreeMap<Long, List<Long>> rows(Table t, IsolationLevel isolation) {
        try (Snapshot s = t.snapshot(isolation)) {
            return rows(s);
        }
    }

    /** Returns the table after writes [0, upTo] (empty for -1). */
    static TreeMap<Long, List<Long>> expected(long upTo) {
        TreeMap<Long, List<Long>> out = new TreeMap<>();
        for (long v = 0; v <= upTo; v++) {
            long k = v % 50;
            out.put(k, List.of(v, out.containsKey(k) ? out.get(k).get(1) + 1 : 1));
        }
        return out;
    }

    /** Returns [from, to] as a list. */
    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            out.add(v);
        }
        return out;
    }

    @Override
    public void close() {
        row.close();
        scratch.close();
    }
}
