package io.floe.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.floe.changelog.SyncMode;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
    @TempDir
    Path dir;

    @Test
    void backgroundCompactionBoundsRunsAndKeepsSnapshots() throws Exception {
        TableOptions options = TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(4 << 10, 2));
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            try (TableHarness h = new TableHarness(t)) {
                for (long i = 0; i < 200; i++) {
                    h.upsert(i, i, "first");
                }
                try (Snapshot old = t.snapshot()) {
                    List<List<Object>> before = TableHarness.scanAll(old, ScanOptions.all());
                    for (int round = 0; round < 10; round++) {
                        for (long i = 0; i < 200; i++) {
                            h.upsert(i, i + round, "round" + round);
                        }
                        h.flush();
                    }
                    for (long i = 0; i < 200; i += 2) {
                        h.delete(i);
                    }
                    h.flush();
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (t.stats(0).compactions() == 0 && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertTrue(t.stats(0).compactions() > 0, "the picker never compacted: " + t.stats(0));
                    t.compact(0);
                    assertEquals(1, t.stats(0).sortedRuns(), t.stats(0).toString());
                    assertEquals(before, TableHarness.scanAll(old, ScanOptions.all()), "a compaction dropped a version a snapshot reads");
                }
                t.compact(0);
                assertNull(h.get(4));
                assertArrayEquals(new Object[] {5L, 14L, "round9"}, h.get(5));
                try (Snapshot s = t.snapshot()) {
                    assertEquals(100, TableHarness.scanAll(s, ScanOptions.all()).size());
                }
            }
        }
    }
}
