package io.floe.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.floe.changelog.SyncMode;
import io.floe.common.error.SchemaMismatchException;
import io.floe.common.schema.Schema;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableBasicsTest {
    @TempDir
    Path dir;

    private static TableOptions tiny() {
        return TableOptions.defaults().withBuckets(2).withWriteBuffer(new WriteBufferOptions(4 << 10, 2));
    }

    @Test
    void createWriteGetReopen() {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, tiny());
            assertTrue(Files.isRegularFile(dir.resolve("t/schema")));
            assertTrue(Files.isRegularFile(dir.resolve("t/options")));
            try (TableHarness h = new TableHarness(t)) {
                for (long i = 0; i < 2000; i++) {
                    h.upsert(i, i * 10, "s" + i);
                }
                h.delete(7);
                h.commit(1);
                assertArrayEquals(new Object[] {5L, 50L, "s5"}, h.get(5));
                assertNull(h.get(7));
                assertNull(h.get(5000));
                assertTrue(t.stats(0).flushes() + t.stats(1).flushes() > 0, "a 4 KiB memtable must have flushed");
            }
            t.close();
            Table again = floe.openTable("t");
            try (TableHarness h = new TableHarness(again)) {
                assertArrayEquals(new Object[] {1999L, 19990L, "s1999"}, h.get(1999));
                assertNull(h.get(7));
                try (Snapshot s = again.snapshot()) {
                    assertEquals(1999, TableHarness.scanAll(s, ScanOptions.all()).size());
                }
            }
        }
    }

    @Test
    void schemaMismatchIsReported() {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            floe.table("t", TableHarness.SCHEMA, tiny()).close();
            Schema other = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "INT").primaryKey("id").build();
            assertThrows(SchemaMismatchException.class, () -> floe.table("t", other, tiny()));
            assertThrows(SchemaMismatchException.class, () -> floe.table("t", TableHarness.SCHEMA, tiny().withBuckets(3)));
            assertEquals(TableHarness.SCHEMA, floe.storedSchema("t"));
            floe.table("t", TableHarness.SCHEMA, tiny()).close();
        }
    }

    @Test
    void snapshotIsStableAcrossWritesAndFlushes() {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, tiny());
            try (TableHarness h = new TableHarness(t)) {
                for (long i = 0; i < 300; i++) {
                    h.upsert(i, i, null);
                }
                try (Snapshot s = t.snapshot()) {
                    List<List<Object>> before = TableHarness.scanAll(s, ScanOptions.all());
                    for (long i = 0; i < 300; i++) {
                        h.upsert(i, -i, "x");
                    }
                    h.flush();
                    assertEquals(before, TableHarness.scanAll(s, ScanOptions.all()));
                    assertEquals(300, before.size());
                }
                try (Snapshot s = t.snapshot()) {
                    List<List<Object>> rows = TableHarness.scanAll(s, ScanOptions.all()
                            .withColumns(List.of("s", "id")).withPredicate(io.floe.sst.Predicate.lt("id", 3L)));
                    assertEquals(3, rows.size());
                    assertEquals(List.of("x", 0L), rows.stream().filter(r -> r.get(1).equals(0L)).findFirst().orElseThrow());
                }
            }
        }
    }
}
