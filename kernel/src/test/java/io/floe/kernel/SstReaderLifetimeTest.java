package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.SyncMode;
import io.floe.common.row.RowReader;
import io.floe.common.testing.Seeds;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SST reader's bloom filters are off-heap and freed when the reader closes, which happens when
 * no pinned version names its file any more ({@code SstFiles} is the manifest's file deleter). This
 * test races point lookups (long-lived {@link Lookup} handles that keep per-file state across
 * versions, and one-shot {@link Table#get}s), which probe the filters of every file whose key range
 * holds the key, and snapshot scans against flushes and compactions that delete their inputs.
 *
 * <p>A probe of a closed reader's filters fails the run: with assertions on (as the build runs
 * tests) it throws {@link AssertionError}; without, freed or reused filter memory answers "absent"
 * for a present key (the filter block is zeroed or overwritten), which the lookups check. Odd ids
 * are never written, so their lookups are answered by the filters of every overlapping file.
 * After the table closes, no off-heap byte is left.
 */
class SstReaderLifetimeTest {
    private static final int KEYS = 300;
    private static final int ROUNDS = 30;

    @TempDir
    Path dir;

    @Test
    void lookupsAndScansRacingCompactionsNeverReadAClosedReader() throws Exception {
        long seed = Seeds.seed("SstReaderLifetimeTest");
        TableOptions options = TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(4 << 10, 2));
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writing = new AtomicLong();
        AtomicLong lookups = new AtomicLong();
        AtomicLong scans = new AtomicLong();
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            List<Thread> readers = new ArrayList<>();
            try (TableHarness h = new TableHarness(t)) {
                for (long id = 0; id < 2 * KEYS; id += 2) {
                    h.upsert(id, 0L, "r0");
                }
                h.flush();
                for (int i = 0; i < 3; i++) {
                    long budget = i == 0 ? 0 : Lookup.DEFAULT_CACHE_BYTES;
                    boolean handle = i < 2;
                    SplittableRandom random = new SplittableRandom(seed + i);
                    readers.add(new Thread(() -> {
                        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
                        RowReader row = new RowReader(TableHarness.SCHEMA);
                        try (Lookup lookup = t.newLookup().setCacheBudgetBytes(budget)) {
                            while (!stop.get()) {
                                long id = random.nextInt(2 * KEYS);
                                key.putLong(0, id ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
                                RowReader found = null;
                                if (handle) {
                                    found = lookup.get(key, 0, 8) ? lookup.row() : null;
                                } else {
                                    byte[] copy = t.get(key, 0, 8);
                                    found = copy == null ? null : row.wrap(new UnsafeBuffer(copy), 0, copy.length);
                                }
                                if (id % 2 == 1) {
                                    assertThat(found).as("never written id %d", id).isNull();
                                } else {
                                    assertThat(found).as("id %d", id).isNotNull();
                                    long v = found.getLong(1);
                                    assertThat(found.getString(2)).as("id %d", id).isEqualTo("r" + v);
                                    assertThat(v).as("id %d", id).isBetween(0L, writing.get());
                                }
                                lookups.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }, "lookup-" + i));
                }
                readers.add(new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            try (Snapshot s = t.snapshot(); RowScan scan = s.scan(0, ScanOptions.all())) {
                                int n = 0;
                                while (scan.next()) {
                                    RowReader row = scan.row();
                                    assertThat(row.getString(2)).isEqualTo("r" + row.getLong(1));
                                    n++;
                                }
                                assertThat(n).isEqualTo(KEYS);
                                scans.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "scan"));
                readers.forEach(Thread::start);
                for (long round = 1; round <= ROUNDS && errors.isEmpty(); round++) {
                    writing.set(round);
                    // Random order per round: each flush covers keys spread over the whole range.
                    SplittableRandom order = new SplittableRandom(seed ^ round);
                    for (int j = 0; j < KEYS; j++) {
                        long id = 2L * ((j * 7L + order.nextInt(KEYS)) % KEYS);
                        h.upsert(id, round, "r" + round);
                    }
                    if (round % 5 == 0) {
                        t.compact(0); // deletes every input file on this thread, while the readers read
                    }
                }
                stop.set(true);
                for (Thread r : readers) {
                    r.join();
                }
                System.out.printf("SstReaderLifetimeTest: %d lookups, %d scans, %s%n", lookups.get(), scans.get(), t.stats(0));
                assertThat(t.stats(0).flushes()).as("flushes").isGreaterThan(10);
                assertThat(t.stats(0).compactions()).as("compactions").isGreaterThan(5);
                assertThat(lookups.get()).as("lookups done").isPositive();
                assertThat(scans.get()).as("scans done").isPositive();
            }
            t.close();
            assertThat(floe.offHeapBytes()).as("off-heap bytes left after the table closed").isZero();
        }
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError("a reader failed (seed " + seed + ")", errors.peek());
            errors.stream().skip(1).limit(3).forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
