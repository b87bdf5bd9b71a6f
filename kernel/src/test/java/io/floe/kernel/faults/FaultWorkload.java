package io.floe.kernel.faults;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.CountedRows;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.VersionSet;
import io.floe.kernel.options.AggregateFunction;
import io.floe.kernel.options.AggregationDeletePolicy;
import io.floe.kernel.options.MergeEngineOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import io.floe.kernel.table.TableLayout;
import io.floe.sst.EntryIterator;
import io.floe.sst.SstReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The workload of the fault tests and its checks. Write number i goes to key {@code i % KEYS} with
 * {@code v = i} and {@code cnt += 1} under the aggregation engine, so a lost or doubled write
 * changes a count; every {@value #COMMIT_EVERY} writes both buckets commit under checkpoint i.
 * Memtables are small, so flushes (SST writes, manifest edits) run all the time; every
 * {@value #COMPACT_EVERY} writes both buckets compact (obsolete files are deleted).
 */
final class FaultWorkload {
    static final String TABLE = "t";
    static final int KEYS = 150;
    static final int COMMIT_EVERY = 20;
    static final int COMPACT_EVERY = 100;
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").column("cnt", "BIGINT")
            .primaryKey("id").build();

    private FaultWorkload() {
    }

    static TableOptions options() {
        return options(8 << 10);
    }

    /** Returns the workload's table options with memtables of {@code memtableBytes}. */
    static TableOptions options(long memtableBytes) {
        return TableOptions.defaults().withBuckets(2).withWriteBuffer(new WriteBufferOptions(memtableBytes, 2))
                .withMergeEngine(MergeEngineOptions.aggregation(Map.of("cnt", AggregateFunction.SUM), AggregateFunction.LAST_NON_NULL,
                        AggregationDeletePolicy.REJECT));
    }

    /**
     * Returns, per bucket, the highest write it holds (-1 if none): after a crash one bucket may
     * keep more uncommitted writes than the other, so each resumes after its own.
     */
    static long[] resumePoints(Table t) {
        long[] last = new long[t.bucketCount()];
        java.util.Arrays.fill(last, -1);
        int[] buckets = bucketsOfKeys(t);
        for (Map.Entry<Long, long[]> e : CountedRows.of(t).entrySet()) {
            int b = buckets[(int) (long) e.getKey()];
            last[b] = Math.max(last[b], e.getValue()[0]);
        }
        return last;
    }

    /** Returns the first write number to resume at: one past the lowest bucket's highest write. */
    static long resumeFrom(long[] resumePoints) {
        long min = Long.MAX_VALUE;
        for (long p : resumePoints) {
            min = Math.min(min, p);
        }
        return min + 1;
    }

    /** Returns the bucket of every key. */
    static int[] bucketsOfKeys(Table t) {
        int[] bucketOfKey = new int[KEYS];
        try (OffHeapAllocator scratch = new OffHeapAllocator("fault workload keys", Long.MAX_VALUE);
             RowWriter row = new RowWriter(SCHEMA, scratch)) {
            RowReader reader = new RowReader(SCHEMA);
            for (int k = 0; k < KEYS; k++) {
                row.reset().setAll((long) k, 0L, 0L);
                row.complete();
                bucketOfKey[k] = t.bucketOf(reader.wrap(row.buffer(), 0, row.length()));
            }
        }
        return bucketOfKey;
    }


    /**
     * Writes {@code [resumeFrom(resumePoints), to)} into {@code t}, each write only into a bucket
     * whose resume point is below it; after each commit of both buckets under checkpoint
     * i calls {@code acknowledged.accept(i)}. Throws whatever the table throws.
     */
    static void write(Table t, long[] resumePoints, long to, LongConsumer acknowledged) {
        long from = resumeFrom(resumePoints);
        try (OffHeapAllocator scratch = new OffHeapAllocator("fault workload rows", Long.MAX_VALUE);
             RowWriter row = new RowWriter(SCHEMA, scratch);
             BucketWriter w0 = t.writer(0);
             BucketWriter w1 = t.writer(1)) {
            BucketWriter[] writers = {w0, w1};
            RowReader reader = new RowReader(SCHEMA);
            for (long i = from; i < to; i++) {
                row.reset().setAll(i % KEYS, i, 1L);
                row.complete();
                int b = t.bucketOf(reader.wrap(row.buffer(), 0, row.length()));
                if (i > resumePoints[b]) {
                    writers[b].upsert(row.buffer(), 0, row.length());
                }
                if (i % COMMIT_EVERY == COMMIT_EVERY - 1) {
                    w0.commit(i);
                    w1.commit(i);
                    if (w0.lastCommittedCheckpoint() == i && w1.lastCommittedCheckpoint() == i) {
                        acknowledged.accept(i);
                    }
                }
                if (i % COMPACT_EVERY == COMPACT_EVERY - 1) {
                    t.compact(0);
                    t.compact(1);
                }
            }
        }
    }

    /**
     * Checks the table against the acknowledged commits: every write up to {@code lastCommitted} is
     * there, none is applied twice, and each bucket holds a prefix of its writes (no hole).
     * Returns null if all holds, else what is wrong.
     */
    static String check(Table t, long lastCommitted) {
        Map<Long, long[]> rows = CountedRows.of(t);
        for (long k = 0; k < KEYS && k <= lastCommitted; k++) {
            long lastWrite = k + (lastCommitted - k) / KEYS * KEYS;
            long[] got = rows.get(k);
            if (got == null) {
                return "key " + k + " lost (committed up to write " + lastCommitted + ")";
            }
            if (got[0] < lastWrite) {
                return "key " + k + " has write " + got[0] + ", but write " + lastWrite + " was committed";
            }
        }
        long[] maxOfBucket = new long[t.bucketCount()];
        java.util.Arrays.fill(maxOfBucket, -1);
        int[] bucketOfKey = bucketsOfKeys(t);
        for (Map.Entry<Long, long[]> e : rows.entrySet()) {
            long k = e.getKey();
            long v = e.getValue()[0];
            if (v % KEYS != k || e.getValue()[1] != (v - k) / KEYS + 1) {
                return "key " + k + " at write " + v + " has count " + e.getValue()[1] + ": a write counted twice or lost";
            }
            int b = bucketOfKey[(int) k];
            maxOfBucket[b] = Math.max(maxOfBucket[b], v);
        }
        for (int k = 0; k < KEYS; k++) {
            long p = maxOfBucket[bucketOfKey[k]];
            if (k > p) {
                continue;
            }
            long lastWrite = k + (p - k) / KEYS * KEYS;
            long[] got = rows.get((long) k);
            if (got == null || got[0] != lastWrite) {
                return "bucket " + bucketOfKey[k] + " holds writes up to " + p + " but key " + k + " has "
                        + (got == null ? "no row" : "write " + got[0]) + " instead of " + lastWrite + " (a hole)";
            }
        }
        return null;
    }

    /**
     * Checks the files of the closed table in {@code storeDir}: the manifest opens, every SST it
     * names exists and reads whole with as many entries as the manifest says, and no SST file lies
     * outside the manifest. Returns the number of SSTs, or throws {@link AssertionError} naming the damage.
     */
    static int checkFiles(Path storeDir) throws IOException {
        TableLayout layout = new TableLayout(storeDir.resolve(TABLE));
        Set<Path> named = new HashSet<>();
        try (OffHeapAllocator allocator = new OffHeapAllocator("fault check SSTs", Long.MAX_VALUE);
             VersionSet versions = VersionSet.open(layout.manifestDir(), 2, VersionSet.DEFAULT_ROLL_BYTES, f -> { });
             VersionSet.Pin pin = versions.pin()) {
            for (FileMeta f : pin.version().allFiles()) {
                Path p = layout.sstFile(f.bucket(), f.fileNumber());
                named.add(p);
                long entries = 0;
                try (SstReader r = SstReader.open(p, allocator); EntryIterator it = r.newIterator()) {
                    for (it.seekToFirst(); it.valid(); it.next()) {
                        entries++;
                    }
                }
                if (entries != f.rowCount()) {
                    throw new AssertionError(p + " holds " + entries + " entries, the manifest says " + f.rowCount());
                }
            }
        }
        for (int b = 0; b < 2; b++) {
            Path dir = layout.sstDir(b);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    if (!named.contains(p)) {
                        throw new AssertionError(p + " is not named by the manifest (an orphan the open did not remove)");
                    }
                }
            }
        }
        return named.size();
    }

    /** Returns iff {@code dir} holds a created table. */
    static boolean tableExists(Floe floe) {
        return floe.exists(TABLE);
    }
}
