package io.floe.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.floe.changelog.SyncMode;
import io.floe.common.row.RowReader;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers on other threads while the writer writes through constant flushes and compactions: every
 * snapshot scan must be internally consistent (each key's v is a multiple of its round, all keys of
 * a round present once written) and no reader may touch a closed memtable or a deleted SST; after
 * close no off-heap byte is left.
 */
class ConcurrentReadersTest {
    private static final int KEYS = 200;

    @TempDir
    Path dir;

    @Test
    void snapshotsStayConsistentDuringFlushesAndCompactions() throws Exception {
        TableOptions options = TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(4 << 10, 2));
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> readers = new ArrayList<>();
            int[] scans = new int[1];
            try (TableHarness h = new TableHarness(t)) {
                for (long k = 0; k < KEYS; k++) {
                    h.upsert(k, 0L, "r0");
                }
                for (int i = 0; i < 2; i++) {
                    Thread r = new Thread(() -> {
                        try {
                            while (!stop.get()) {
                                try (Snapshot s = t.snapshot(); RowScan scan = s.scan(0, ScanOptions.all())) {
                                    int n = 0;
                                    long previousRound = Long.MIN_VALUE;
                                    long firstRound = -1;
                                    while (scan.next()) {
                                        RowReader row = scan.row();
                                        long round = row.getLong(1);
                                        assertEquals("r" + round, row.getString(2));
                                        if (firstRound < 0) {
                                            firstRound = round;
                                        }
                                        assertTrue(round >= previousRound && round <= firstRound + 1, "key " + row.getLong(0) + " is at round "
                                                + round + " after a smaller key at " + previousRound + ": the snapshot is torn");
                                        previousRound = round;
                                        n++;
                                    }
                                    assertEquals(KEYS, n);
                                    synchronized (scans) {
                                        scans[0]++;
                                    }
                                }
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    });
                    r.start();
                    readers.add(r);
                }
                // Round r writes keys in descending order, so a consistent snapshot sees rounds non-decreasing by key, spanning at most two.
                for (long round = 1; round <= 40; round++) {
                    for (long k = KEYS - 1; k >= 0; k--) {
                        h.upsert(k, round, "r" + round);
                    }
                }
                stop.set(true);
                for (Thread r : readers) {
                    r.join();
                }
                assertTrue(t.stats(0).flushes() > 0 && t.stats(0).compactions() > 0, t.stats(0).toString());
                assertTrue(scans[0] > 0, "no reader finished a scan");
            }
            t.close();
            assertEquals(0, floe.offHeapBytes(), "off-heap bytes left after the table closed");
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a reader failed", errors.peek());
        }
    }
}
