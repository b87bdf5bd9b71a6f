package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.SyncMode;
import io.floe.common.bytes.Checksums;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.SortedRun;
import io.floe.kernel.options.FileLayoutOptions;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import io.floe.kernel.table.TableLayout;
import io.floe.sst.SstDump;
import io.floe.sst.SstReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table's {@code file.page-size} / {@code file.page-rows} reach the SSTs its flushes and
 * compactions write, the data reads back the same, and a table whose stored options file predates
 * the options opens with the pages every table wrote before.
 */
class TablePageSizeTest {
    private static final int ROWS = 1_000;

    @TempDir
    Path dir;

    @Test
    void flushWritesPagesOfTheTablesRowLimit() throws Exception {
        TableOptions options = TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(4L << 20, 2))
                .withFileLayout(new FileLayoutOptions(FileLayoutOptions.DEFAULT_PAGE_BYTES, 64));
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            try (TableHarness h = new TableHarness(t)) {
                writeRound(h, 0);
                h.flush();
                List<int[]> files = pageRowsOfEachFile(t);
                assertThat(files).hasSize(1);
                // 1,000 rows in pages of 64: 15 full pages and one of 40 (the row limit closes every page before 64 KiB).
                int[] expected = new int[16];
                Arrays.fill(expected, 64);
                expected[15] = ROWS - 15 * 64;
                assertThat(files.get(0)).containsExactly(expected);
                assertReadsRound(h, t, 0);
            }
        }
    }

    @Test
    void smallPageBytesCloseAPageEarly() throws Exception {
        // A page closes when a fixed-width column holds 1 KiB: 8 bytes a value, so at 128 entries at most.
        TableOptions options = TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(4L << 20, 2))
                .withFileLayout(new FileLayoutOptions(1024, FileLayoutOptions.DEFAULT_PAGE_ROWS));
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            try (TableHarness h = new TableHarness(t)) {
                writeRound(h, 0);
                h.flush();
                int[] pages = pageRowsOfEachFile(t).get(0);
                assertThat(Arrays.stream(pages).sum()).isEqualTo(ROWS);
                assertThat(pages.length).isGreaterThanOrEqualTo((ROWS + 127) / 128);
                assertThat(Arrays.stream(pages).max().getAsInt()).isLessThanOrEqualTo(128);
                assertReadsRound(h, t, 0);
            }
        }
    }

    @Test
    void compactionWritesPagesOfTheTablesRowLimit() throws Exception {
        TableOptions options = TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(4L << 20, 2))
                .withFileLayout(new FileLayoutOptions(FileLayoutOptions.DEFAULT_PAGE_BYTES, 48));
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            try (TableHarness h = new TableHarness(t)) {
                for (int round = 0; round < 3; round++) {
                    writeRound(h, round);
                    h.flush();
                }
                t.compact(0);
                List<int[]> files = pageRowsOfEachFile(t);
                assertThat(files).hasSize(1);
                int[] pages = files.get(0);
                assertThat(Arrays.stream(pages).sum()).isEqualTo(ROWS);
                assertThat(pages.length).isEqualTo((ROWS + 47) / 48);
                for (int p = 0; p < pages.length - 1; p++) {
                    assertThat(pages[p]).as("page " + p).isEqualTo(48);
                }
                assertReadsRound(h, t, 2);
            }
        }
    }

    @Test
    void anOptionsFileWrittenBeforeTheOptionsOpensWithTheDefaultPages() throws Exception {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            floe.createTable("t", TableHarness.SCHEMA, TableOptions.defaults()).close();
        }
        // Every key an options file held before file.page-size and file.page-rows existed, as it was written then.
        String body = """
                floe-options 1
                bucket=1
                memtable.size=4194304
                memtable.max-immutable=3
                compression.flush=lz4
                compression.compacted=lz4
                compression.bottom=zstd
                compression.zstd-level=3
                compaction.sorted-run-trigger=5
                compaction.max-size-amplification-percent=200
                compaction.size-ratio-percent=1
                compaction.min-merge-width=2
                compaction.max-merge-width=1024
                merge-engine=deduplicate
                aggregation.default-function=last-non-null
                aggregation.delete=reject
                changelog-producer=none
                changelog.retention=1 d
                """;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Path file = new TableLayout(dir.resolve("t")).optionsFile();
        Files.writeString(file, body + String.format("crc32c %08x%n", Checksums.crc32c(bytes, 0, bytes.length)), StandardCharsets.UTF_8);
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            TableOptions stored = floe.storedOptions("t");
            assertThat(stored).isEqualTo(TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(4L << 20, 3)));
            assertThat(stored.fileLayout()).isEqualTo(FileLayoutOptions.defaults());
            Table t = floe.openTable("t");
            try (TableHarness h = new TableHarness(t)) {
                writeRound(h, 0);
                h.flush();
                // Default pages: 65,536 rows or 64 KiB of a column; 1,000 short rows fit in one.
                assertThat(pageRowsOfEachFile(t)).singleElement().satisfies(pages -> assertThat(pages).containsExactly(ROWS));
                assertReadsRound(h, t, 0);
            }
        }
    }

    private static void writeRound(TableHarness h, int round) {
        for (long id = 0; id < ROWS; id++) {
            h.upsert(id, id * 10 + round, "r" + round + "-" + id);
        }
    }

    /** Checks every row through point lookups and a scan. */
    private static void assertReadsRound(TableHarness h, Table t, int round) {
        List<List<Object>> expected = new ArrayList<>();
        for (long id = 0; id < ROWS; id++) {
            Object[] row = {id, id * 10 + round, "r" + round + "-" + id};
            assertThat(h.get(id)).as("id " + id).containsExactly(row);
            expected.add(Arrays.asList(row));
        }
        try (Snapshot s = t.snapshot()) {
            assertThat(TableHarness.scanAll(s, ScanOptions.all())).isEqualTo(expected);
        }
    }

    /** Returns, for each SST of bucket 0 the manifest names, the row count of each of its pages (all row groups in order). */
    private List<int[]> pageRowsOfEachFile(Table t) {
        TableLayout layout = new TableLayout(dir.resolve(t.name()));
        List<int[]> out = new ArrayList<>();
        try (OffHeapAllocator allocator = new OffHeapAllocator("page size test", Long.MAX_VALUE)) {
            for (SortedRun run : t.shape(0).runs()) {
                for (FileMeta f : run.files()) {
                    try (SstReader reader = SstReader.open(layout.sstFile(0, f.fileNumber()), allocator)) {
                        out.add(SstDump.describe(reader).lines().filter(l -> l.startsWith("  page rows "))
                                .flatMap(l -> Arrays.stream(l.substring("  page rows ".length()).split(" ")))
                                .mapToInt(Integer::parseInt).toArray());
                    }
                }
            }
        }
        return out;
    }
}
