package io.floe.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.changelog.SyncMode;
import io.floe.common.row.RowReader;
import io.floe.kernel.options.ChangelogProducer;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailTest {
    @TempDir
    Path dir;

    private static List<String> drain(ChangelogTailer tailer) {
        List<String> out = new ArrayList<>();
        RowReader reader = new RowReader(TableHarness.SCHEMA);
        for (ChangelogRecord r = tailer.poll(); r != null; r = tailer.poll()) {
            out.add(r.kind().shortString() + Arrays.toString(reader.wrap(r.row(), 0, r.rowLength()).toObjects()));
        }
        return out;
    }

    @Test
    void fullChangelogAndIsolationLevels() {
        TableOptions options = TableOptions.defaults().withChangelogProducer(ChangelogProducer.FULL);
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            try (TableHarness h = new TableHarness(t);
                 ChangelogTailer committed = t.tail(0, 0, IsolationLevel.READ_COMMITTED);
                 ChangelogTailer uncommitted = t.tail(0, 0, IsolationLevel.READ_UNCOMMITTED)) {
                h.upsert(1, 10L, "a");
                h.upsert(1, 11L, "b");
                h.upsert(1, 11L, "b");
                h.upsert(2, 20L, null);
                h.delete(1);
                assertEquals(-1, h.delete(99));
                assertEquals(List.of(), drain(committed));
                List<String> expected = List.of("+I[1, 10, a]", "-U[1, 10, a]", "+U[1, 11, b]", "+I[2, 20, null]", "-D[1, 11, b]");
                assertEquals(expected, drain(uncommitted));
                h.commit(7);
                assertEquals(expected, drain(committed));
                long seq;
                try (Snapshot s = t.snapshot()) {
                    seq = s.seq(0);
                    assertEquals(1, TableHarness.scanAll(s, ScanOptions.all()).size());
                }
                h.upsert(3, 30L, "c");
                try (ChangelogTailer after = t.tail(0, seq + 1, IsolationLevel.READ_UNCOMMITTED)) {
                    assertEquals(List.of("+I[3, 30, c]"), drain(after));
                }
                assertNull(h.get(1));
            }
        }
    }
}
