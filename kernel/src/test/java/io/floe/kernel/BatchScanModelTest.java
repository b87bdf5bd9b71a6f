package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.IsolationLevel;
import io.floe.changelog.SyncMode;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import io.floe.kernel.options.FileLayoutOptions;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.MergeEngineKind;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import io.floe.kernel.read.SingleVersionRun;
import io.floe.sst.ArrowExport;
import io.floe.sst.ColumnBatch;
import io.floe.sst.Predicate;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Snapshot#scanBatches} against {@link Snapshot#scan}: a seeded random workload (upserts with
 * nulls, deletes, flushes of 4 KiB memtables, compactions, snapshots held across compactions) is
 * read through both with random projections, key ranges, predicates and batch sizes; the batches,
 * exported to Arrow, must hold exactly the scan's rows in order. After a flush and full compaction
 * with no snapshot held, every batch scan must take the zero-copy way. Deterministic cases check
 * that every reason for a merge (memtable rows, several runs, deletes, several versions of a key)
 * turns the zero-copy way off. Replay with {@code -Dfloe.seed=N}.
 */
class BatchScanModelTest {
    static final Schema SCHEMA = ProjectedScanTest.SCHEMA;
    private static final int KEYS = 300;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(MergeEngineKind.class)
    void batchScansEqualRowScans(MergeEngineKind kind) {
        SplittableRandom r = Seeds.random("BatchScanModelTest." + kind);
        // Small pages in some runs: batches end inside runs of a key's versions.
        FileLayoutOptions layout = r.nextBoolean() ? FileLayoutOptions.defaults()
                : new FileLayoutOptions(FileLayoutOptions.MIN_PAGE_BYTES, FileLayoutOptions.MIN_PAGE_ROWS + r.nextInt(48));
        TableOptions options = TableOptions.defaults().withBuckets(2).withWriteBuffer(new WriteBufferOptions(4 << 10, 2))
                .withMergeEngine(ProjectedScanTest.engine(kind)).withFileLayout(layout);
        int[] ways = new int[2];
        try (Floe floe = Floe.open(dir.resolve(kind.name()), FloeOptions.defaults(), SyncMode.NONE);
             RootAllocator arrow = new RootAllocator()) {
            Table table = floe.createTable("t", SCHEMA, options);
            try (Writers w = new Writers(table)) {
                Snapshot held = null;
                for (int round = 0; round < 14; round++) {
                    w.randomOps(r, 30 + r.nextInt(250));
                    int shape = r.nextInt(5);
                    if (shape == 0 && held == null) {
                        held = table.snapshot(); // kept across the next compactions: they keep the versions it reads
                    } else if (shape == 1 && held != null) {
                        compare(r, table, held, arrow, kind + " round " + round + " (held snapshot)", ways);
                        held.close();
                        held = null;
                    }
                    if (r.nextInt(3) == 0) {
                        w.flush();
                    }
                    if (r.nextInt(4) == 0) {
                        for (int b = 0; b < table.bucketCount(); b++) {
                            table.compact(b);
                        }
                    }
                    try (Snapshot snapshot = table.snapshot()) {
                        compare(r, table, snapshot, arrow, kind + " round " + round, ways);
                    }
                    if (held == null && r.nextInt(3) == 0) {
                        compactAndCompare(r, table, w, arrow, kind + " round " + round, ways);
                    }
                }
                if (held != null) {
                    held.close();
                }
                compactAndCompare(r, table, w, arrow, kind + " at the end", ways);
            }
            table.close();
            assertThat(floe.offHeapBytes()).as("off-heap bytes left after the table closed").isZero();
            assertThat(arrow.getAllocatedMemory()).as("Arrow bytes left").isZero();
        }
        System.out.println("BatchScanModelTest." + kind + ": zero-copy scans " + ways[1] + ", merged scans " + ways[0]);
        assertThat(ways[1]).as("zero-copy scans").isPositive();
        assertThat(ways[0]).as("merged scans").isPositive();
    }

    /**
     * Flushes and fully compacts every bucket (no snapshot held), then checks that every bucket's
     * batch scan is zero-copy and compares random scans. Requires: no snapshot is open.
     */
    private static void compactAndCompare(SplittableRandom r, Table table, Writers w, RootAllocator arrow, String context, int[] ways) {
        // A write into every bucket first: a full compaction skips a lone run it wrote itself (which
        // may hold versions a snapshot needed then), so every bucket gets a second run to compact.
        w.randomOps(r, 20);
        for (long id = KEYS; id < KEYS + 8; id++) {
            w.upsert(id, id);
        }
        w.flush();
        for (int b = 0; b < table.bucketCount(); b++) {
            table.compact(b);
        }
        try (Snapshot snapshot = table.snapshot()) {
            long keyPasses = SingleVersionRun.keyPassFiles();
            for (int b = 0; b < table.bucketCount(); b++) {
                try (BatchScan scan = snapshot.scanBatches(b, ScanOptions.all())) {
                    assertThat(scan.zeroCopy()).as("%s bucket %d after flush and compaction", context, b).isTrue();
                }
            }
            // The compacted files record that each key occurs once: no file's keys were read to decide.
            assertThat(SingleVersionRun.keyPassFiles()).as("%s: files whose keys were read", context).isEqualTo(keyPasses);
            compare(r, table, snapshot, arrow, context + " (compacted)", ways);
        }
    }

    /** Compares random batch scans of every bucket of {@code snapshot} with its row scans. */
    private static void compare(SplittableRandom r, Table table, Snapshot snapshot, RootAllocator arrow, String context, int[] ways) {
        for (int q = 0; q < 6; q++) {
            ScanOptions options = randomOptions(r, table);
            int batchRows = switch (r.nextInt(3)) {
                case 0 -> 1 + r.nextInt(3);
                case 1 -> 1 + r.nextInt(100);
                default -> BatchScan.DEFAULT_BATCH_ROWS;
            };
            for (int b = 0; b < snapshot.bucketCount(); b++) {
                List<List<Object>> expected = rows(snapshot, b, options);
                try (BatchScan scan = snapshot.scanBatches(b, options, batchRows)) {
                    ways[scan.zeroCopy() ? 1 : 0]++;
                    List<List<Object>> actual = batches(scan, arrow, options);
                    assertThat(actual).as("%s query %d bucket %d (zero-copy %s): columns %s where %s", context, q, b, scan.zeroCopy(),
                            options.columns(), options.predicate()).usingElementComparator(BatchScanModelTest::compareRows)
                            .containsExactlyElementsOf(expected);
                }
            }
        }
    }

    private static int compareRows(List<Object> a, List<Object> b) {
        return Arrays.deepEquals(a.toArray(), b.toArray()) ? 0 : 1;
    }

    /** Returns the rows of {@link Snapshot#scan}, normalized ({@link #normal}). */
    static List<List<Object>> rows(Snapshot snapshot, int bucket, ScanOptions options) {
        List<List<Object>> out = new ArrayList<>();
        try (RowScan scan = snapshot.scan(bucket, options)) {
            while (scan.next()) {
                List<Object> row = new ArrayList<>();
                for (Object o : scan.row().toObjects()) {
                    row.add(normal(o));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** Returns the rows of every batch, each exported to Arrow and read back, and checks the batch's columns. */
    static List<List<Object>> batches(BatchScan scan, RootAllocator arrow, ScanOptions options) {
        List<String> names = new ArrayList<>();
        scan.schema().columns().forEach(c -> names.add(c.name()));
        List<String> wanted = new ArrayList<>();
        if (options.columns() == null) {
            SCHEMA.columns().forEach(c -> wanted.add(c.name()));
        } else {
            wanted.addAll(options.columns());
        }
        assertThat(names).isEqualTo(wanted);
        List<List<Object>> out = new ArrayList<>();
        while (scan.next()) {
            ColumnBatch batch = scan.batch();
            assertThat(batch.size()).isPositive();
            assertThat(batch.columnCount()).isEqualTo(wanted.size());
            for (int c = 0; c < batch.columnCount(); c++) {
                assertThat(batch.column(c).name()).isEqualTo(wanted.get(c));
            }
            try (VectorSchemaRoot root = ArrowExport.export(batch, arrow)) {
                assertThat(root.getRowCount()).isEqualTo(batch.size());
                for (int i = 0; i < root.getRowCount(); i++) {
                    List<Object> row = new ArrayList<>();
                    for (FieldVector v : root.getFieldVectors()) {
                        row.add(normal(v.getObject(i)));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** Returns {@code o} in one form for rows and Arrow: strings as String, decimals without trailing zeros. */
    static Object normal(Object o) {
        if (o instanceof Text t) {
            return t.toString();
        }
        if (o instanceof BigDecimal d) {
            return d.stripTrailingZeros();
        }
        return o;
    }

    private static ScanOptions randomOptions(SplittableRandom r, Table table) {
        List<String> columns = null;
        if (r.nextBoolean()) {
            columns = new ArrayList<>();
            for (int c = 0; c < SCHEMA.columnCount(); c++) {
                if (r.nextInt(3) == 0) {
                    columns.add(SCHEMA.column(c).name());
                }
            }
            if (columns.isEmpty()) {
                columns.add(SCHEMA.column(r.nextInt(SCHEMA.columnCount())).name());
            }
            java.util.Collections.shuffle(columns, new java.util.Random(r.nextLong()));
        }
        List<Predicate> terms = new ArrayList<>();
        for (int t = r.nextInt(3); t > 0; t--) {
            terms.add(ProjectedScanTest.randomTerm(r));
        }
        Predicate predicate = terms.isEmpty() ? null : terms.size() == 1 ? terms.get(0) : new Predicate.And(terms);
        byte[] from = r.nextInt(3) == 0 ? ProjectedScanTest.encodedKey(table, r.nextInt(KEYS)) : null;
        byte[] to = r.nextInt(3) == 0 ? ProjectedScanTest.encodedKey(table, r.nextInt(KEYS)) : null;
        return new ScanOptions(from, to, columns, predicate);
    }

    // ---- deterministic cases: each reason for a merge turns the zero-copy way off ----

    @Test
    void everyReasonForAMergeTurnsZeroCopyOff() {
        try (Floe floe = Floe.open(dir.resolve("reasons"), FloeOptions.defaults(), SyncMode.NONE);
             RootAllocator arrow = new RootAllocator()) {
            Table table = floe.createTable("t", SCHEMA, TableOptions.defaults().withBuckets(1).withFileLayout(SMALL_PAGES));
            try (Writers w = new Writers(table)) {
                for (long id = 0; id < 100; id++) {
                    w.upsert(id, id);
                }
                w.flush();
                checkWay(table, arrow, true, "one flushed run, one version per key");
                w.upsert(5, 55);
                checkWay(table, arrow, false, "a row in the memtable");
                // A range without the memtable's row needs no merge.
                try (Snapshot s = table.snapshot();
                     BatchScan scan = s.scanBatches(0,
                             ScanOptions.all().withRange(ProjectedScanTest.encodedKey(table, 10), ProjectedScanTest.encodedKey(table, 50)))) {
                    assertThat(scan.zeroCopy()).as("a range the memtable has no row in").isTrue();
                    assertThat(batches(scan, arrow, ScanOptions.all())).hasSize(40);
                }
                w.flush();
                checkWay(table, arrow, false, "two runs");
                table.compact(0);
                checkWay(table, arrow, true, "compacted");
                w.delete(7);
                w.flush();
                checkWay(table, arrow, false, "a run with a delete over the compacted run");
                table.compact(0);
                checkWay(table, arrow, true, "compacted after the delete");
                w.upsert(1000, 1);
                w.upsert(1000, 2);
                w.upsert(1001, 3);
                w.flush();
                table.compact(0);
                checkWay(table, arrow, true, "folded versions");
                // A snapshot held across a compaction: the output keeps the versions it reads.
                Snapshot held = table.snapshot();
                for (long id = 0; id < 100; id += 3) {
                    w.upsert(id, -id);
                }
                w.flush();
                table.compact(0);
                checkWay(table, arrow, false, "several versions of keys in the one run");
                try (BatchScan scan = held.scanBatches(0, ScanOptions.all())) {
                    // It pinned the version before: the one compacted run, every entry at or below its seq.
                    assertThat(scan.zeroCopy()).as("the held snapshot's own version").isTrue();
                    assertThat(batches(scan, arrow, ScanOptions.all())).usingElementComparator(BatchScanModelTest::compareRows)
                            .containsExactlyElementsOf(rows(held, 0, ScanOptions.all()));
                }
                held.close();
                // A full compaction skips a lone run it wrote itself, versions and all: give it another run.
                w.upsert(2000, 1);
                w.flush();
                table.compact(0);
                checkWay(table, arrow, true, "compacted after the snapshot closed");
                // A read-committed snapshot reads below the newest entries of the run.
                w.commit(1);
                for (long id = 0; id < 100; id += 2) {
                    w.upsert(id, id + 1);
                }
                w.flush();
                table.compact(0);
                try (Snapshot committed = table.snapshot(IsolationLevel.READ_COMMITTED);
                     BatchScan scan = committed.scanBatches(0, ScanOptions.all())) {
                    assertThat(scan.zeroCopy()).as("entries above the read-committed snapshot's seq").isFalse();
                    assertThat(batches(scan, arrow, ScanOptions.all())).usingElementComparator(BatchScanModelTest::compareRows)
                            .containsExactlyElementsOf(rows(committed, 0, ScanOptions.all()));
                }
                checkWay(table, arrow, false, "versions kept above the committed seq");
                w.commit(2);
                w.upsert(2001, 1);
                w.flush();
                table.compact(0);
                checkWay(table, arrow, true, "compacted after the commit");
            }
            table.close();
            assertThat(floe.offHeapBytes()).as("off-heap bytes left after the table closed").isZero();
            assertThat(arrow.getAllocatedMemory()).isZero();
        }
    }

    /** Pages of 16 entries: 100 keys make 7 pages. */
    private static final FileLayoutOptions SMALL_PAGES = new FileLayoutOptions(FileLayoutOptions.DEFAULT_PAGE_BYTES, FileLayoutOptions.MIN_PAGE_ROWS);

    @Test
    void twoVersionsOfAKeyOnTwoPagesNeedAMerge() {
        try (Floe floe = Floe.open(dir.resolve("pages"), FloeOptions.defaults(), SyncMode.NONE);
             RootAllocator arrow = new RootAllocator()) {
            Table table = floe.createTable("t", SCHEMA, TableOptions.defaults().withBuckets(1).withFileLayout(SMALL_PAGES));
            try (Writers w = new Writers(table)) {
                // Entries in file order: keys 0..14, then key 15's newer and older version: the
                // first page (16 entries) ends with the newer, the second holds the older alone.
                for (long id = 0; id < 16; id++) {
                    w.upsert(id, id);
                }
                w.upsert(15, 150);
                w.flush();
                // The file records that a key repeats and lies wholly in the range: no key pass.
                long keyPasses = SingleVersionRun.keyPassFiles();
                checkWay(table, arrow, false, "two versions of key 15 on two pages");
                assertThat(SingleVersionRun.keyPassFiles()).as("files whose keys were read for the whole range").isEqualTo(keyPasses);
                // Part of the file in the range: the key pass decides (where the repeat lies is not recorded).
                try (Snapshot s = table.snapshot();
                     BatchScan scan = s.scanBatches(0, ScanOptions.all().withRange(ProjectedScanTest.encodedKey(table, 15), null))) {
                    assertThat(scan.zeroCopy()).isFalse();
                    assertThat(SingleVersionRun.keyPassFiles()).as("files whose keys were read for [15, )").isEqualTo(keyPasses + 1);
                    assertThat(batches(scan, arrow, ScanOptions.all())).usingElementComparator(BatchScanModelTest::compareRows)
                            .containsExactly(rows(s, 0, ScanOptions.all().withRange(ProjectedScanTest.encodedKey(table, 15), null)).get(0));
                }
                try (Snapshot s = table.snapshot();
                     BatchScan scan = s.scanBatches(0, ScanOptions.all().withRange(null, ProjectedScanTest.encodedKey(table, 15)))) {
                    assertThat(scan.zeroCopy()).as("a range without key 15").isTrue();
                    assertThat(SingleVersionRun.keyPassFiles()).as("files whose keys were read for [, 15)").isEqualTo(keyPasses + 2);
                    assertThat(batches(scan, arrow, ScanOptions.all())).hasSize(15);
                }
            }
            table.close();
            assertThat(floe.offHeapBytes()).isZero();
        }
    }

    @Test
    void aFlushOfSeveralVersionsOfAKeyOrOfADeleteNeedsAMerge() {
        try (Floe floe = Floe.open(dir.resolve("flush"), FloeOptions.defaults(), SyncMode.NONE);
             RootAllocator arrow = new RootAllocator()) {
            Table table = floe.createTable("t", SCHEMA, TableOptions.defaults().withBuckets(1));
            try (Writers w = new Writers(table)) {
                w.upsert(1, 1);
                w.upsert(2, 1);
                w.upsert(1, 2);
                w.flush();
                long keyPasses = SingleVersionRun.keyPassFiles();
                checkWay(table, arrow, false, "one flush holding two versions of key 1");
                assertThat(SingleVersionRun.keyPassFiles()).as("the file records a repeated key; no key pass").isEqualTo(keyPasses);
                // Only key 2 in the range: the file's repeat (key 1) may lie outside it, so the key pass decides.
                try (Snapshot s = table.snapshot();
                     BatchScan scan = s.scanBatches(0, ScanOptions.all().withRange(ProjectedScanTest.encodedKey(table, 2), null))) {
                    assertThat(scan.zeroCopy()).as("a range without key 1").isTrue();
                    assertThat(SingleVersionRun.keyPassFiles()).isEqualTo(keyPasses + 1);
                    assertThat(batches(scan, arrow, ScanOptions.all())).hasSize(1);
                }
            }
            Table other = floe.createTable("u", SCHEMA, TableOptions.defaults().withBuckets(1));
            try (Writers w = new Writers(other)) {
                w.upsert(1, 1);
                w.delete(2);
                w.flush();
                checkWay(other, arrow, false, "one flush holding a delete");
            }
            table.close();
            other.close();
            assertThat(floe.offHeapBytes()).isZero();
        }
    }

    /** Checks that a snapshot's batch scan of bucket 0 takes the way {@code zeroCopy} and returns the row scan's rows. */
    private static void checkWay(Table table, RootAllocator arrow, boolean zeroCopy, String what) {
        try (Snapshot s = table.snapshot()) {
            for (ScanOptions options : List.of(ScanOptions.all(), ScanOptions.all().withColumns(List.of("s", "v")),
                    ScanOptions.all().withPredicate(Predicate.lt("v", 50L)))) {
                try (BatchScan scan = s.scanBatches(0, options, 7)) {
                    assertThat(scan.zeroCopy()).as("zero-copy: %s", what).isEqualTo(zeroCopy);
                    assertThat(batches(scan, arrow, options)).as(what).usingElementComparator(BatchScanModelTest::compareRows)
                            .containsExactlyElementsOf(rows(s, 0, options));
                }
            }
        }
    }

    // ---- Arrow values and memory ----

    @Test
    void zeroCopyBatchesExportToArrowAndOutliveTheScanUntilReleased() {
        try (Floe floe = Floe.open(dir.resolve("arrow"), FloeOptions.defaults(), SyncMode.NONE);
             RootAllocator arrow = new RootAllocator()) {
            Table table = floe.createTable("t", SCHEMA, TableOptions.defaults().withBuckets(1));
            try (Writers w = new Writers(table)) {
                for (long id = 0; id < 50; id++) {
                    w.upsert(id, id * 10);
                }
                w.flush();
                table.compact(0);
                List<VectorSchemaRoot> kept = new ArrayList<>();
                try (Snapshot s = table.snapshot()) {
                    ScanOptions options = ScanOptions.all().withColumns(List.of("v", "id", "s"));
                    try (BatchScan scan = s.scanBatches(0, options)) {
                        assertThat(scan.zeroCopy()).isTrue();
                        while (scan.next()) {
                            kept.add(ArrowExport.export(scan.batch(), arrow));
                        }
                    }
                    // Abandoned mid-way: close frees what it holds.
                    try (BatchScan scan = s.scanBatches(0, ScanOptions.all(), 3)) {
                        assertThat(scan.next()).isTrue();
                    }
                }
                long id = 0;
                for (VectorSchemaRoot root : kept) {
                    assertThat(root.getSchema().getFields()).extracting(f -> f.getName()).containsExactly("v", "id", "s");
                    for (int i = 0; i < root.getRowCount(); i++, id++) {
                        assertThat(root.getVector("id").getObject(i)).isEqualTo(id);
                        assertThat(root.getVector("v").getObject(i)).isEqualTo(id * 10);
                        assertThat(normal(root.getVector("s").getObject(i))).isEqualTo("s" + id);
                    }
                }
                assertThat(id).isEqualTo(50);
                assertThat(floe.offHeapBytes()).as("the exported columns live on in Arrow").isPositive();
                kept.forEach(VectorSchemaRoot::close);
            }
            table.close();
            assertThat(floe.offHeapBytes()).as("off-heap bytes left after the table closed and Arrow released").isZero();
            assertThat(arrow.getAllocatedMemory()).isZero();
        }
    }

    /** The table's writers, with rows of {@link #SCHEMA} made from a few values. */
    /** The model test's writes, in this test's row shapes, through a {@link TableHarness}. */
    private static final class Writers implements AutoCloseable {
        private final TableHarness h;

        Writers(Table table) {
            this.h = new TableHarness(table);
        }

        void upsert(long id, long v) {
            h.upsertRow(new Object[] {id, (int) v, v, (double) v, "s" + id, BigDecimal.valueOf(v, 5), null});
        }

        void delete(long id) {
            h.deleteRow(ProjectedScanTest.keyRow(id));
        }

        void randomOps(SplittableRandom r, int count) {
            for (int op = 0; op < count; op++) {
                long id = r.nextInt(KEYS);
                if (r.nextInt(8) == 0) {
                    delete(id);
                } else {
                    h.upsertRow(ProjectedScanTest.randomRow(r, id));
                }
            }
        }

        void commit(long checkpointId) {
            h.commit(checkpointId);
        }

        void flush() {
            h.flush();
        }

        @Override
        public void close() {
            h.close();
        }
    }
}
