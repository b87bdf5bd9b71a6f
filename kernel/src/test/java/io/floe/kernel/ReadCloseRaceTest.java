package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.SyncMode;
import io.floe.common.error.ClosedException;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A close on one thread during point reads on others: the reads under way finish on live memory
 * and later ones throw {@link ClosedException}, whatever the timing. Closing a snapshot releases
 * its memtables and pinned files, closing a table its SST readers with their off-heap bloom
 * filters; a read still touching them would read freed memory (with assertions on, as the build
 * runs tests, a filter probed after its reader closed throws {@link AssertionError}; without, the
 * JVM may crash). Each round starts readers, lets them run, closes under them.
 */
class ReadCloseRaceTest {
    private static final int KEYS = 400;
    private static final int ROUNDS = 20;

    @TempDir
    Path dir;

    @Test
    void closingASnapshotUnderItsGetsWaitsForThem() throws Exception {
        TableOptions options = TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(4 << 10, 2));
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            try (TableHarness h = new TableHarness(t)) {
                for (int round = 0; round < ROUNDS; round++) {
                    for (long id = 0; id < 2 * KEYS; id += 2) {
                        h.upsert(id, (long) round, "r" + round);
                    }
                    Snapshot s = t.snapshot();
                    // The snapshot now holds the only references to these memtables and files once
                    // the writes below are flushed and compacted away.
                    for (long id = 0; id < 2 * KEYS; id += 2) {
                        h.upsert(id, round + 1000L, "new");
                    }
                    h.flush();
                    t.compact(0);
                    long expected = round;
                    int[] outcome = race(4, () -> {
                        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
                        for (long id = 0; ; id = (id + 1) % (2 * KEYS)) {
                            key.putLong(0, id ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
                            byte[] row = s.get(key, 0, 8);
                            assertThat(row == null).as("id %d", id).isEqualTo(id % 2 == 1);
                        }
                    }, s::close);
                    assertThat(outcome[0]).as("round %d (%d): readers that ended with ClosedException", round, expected).isEqualTo(4);
                }
            }
        }
    }

    @Test
    void closingATableUnderItsLookupsWaitsForThem() throws Exception {
        for (int round = 0; round < ROUNDS / 2; round++) {
            Path at = dir.resolve("round-" + round);
            TableOptions options = TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(4 << 10, 2));
            try (Floe floe = Floe.open(at, FloeOptions.defaults(), SyncMode.NONE)) {
                Table t = floe.createTable("t", TableHarness.SCHEMA, options);
                TableHarness h = new TableHarness(t);
                for (long id = 0; id < 2 * KEYS; id += 2) {
                    h.upsert(id, 1L, "r");
                }
                h.flush();
                h.close();
                int[] outcome = race(3, () -> {
                    UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
                    try (Lookup lookup = t.newLookup()) {
                        for (long id = 0; ; id = (id + 1) % (2 * KEYS)) {
                            key.putLong(0, id ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
                            assertThat(lookup.get(key, 0, 8)).as("id %d", id).isEqualTo(id % 2 == 0);
                        }
                    }
                }, t::close);
                assertThat(outcome[0]).as("round %d: readers that ended with ClosedException", round).isEqualTo(3);
            }
        }
    }

    /**
     * Starts {@code readers} threads running {@code read} (which loops until it throws), waits until
     * every one made a few hundred reads' worth of progress, runs {@code close}, and returns
     * {@code [readers that ended with ClosedException]}; any other ending fails the test.
     */
    private static int[] race(int readers, ThrowingRunnable read, Runnable close) throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> other = new ConcurrentLinkedQueue<>();
        AtomicLong closedEndings = new AtomicLong();
        CountDownLatch started = new CountDownLatch(readers);
        Thread[] threads = new Thread[readers];
        for (int i = 0; i < readers; i++) {
            threads[i] = new Thread(() -> {
                started.countDown();
                try {
                    read.run();
                } catch (ClosedException e) {
                    closedEndings.incrementAndGet();
                } catch (Throwable e) {
                    other.add(e);
                }
            }, "reader-" + i);
            threads[i].start();
        }
        started.await();
        Thread.sleep(20);
        close.run();
        for (Thread th : threads) {
            th.join(30_000);
            assertThat(th.isAlive()).as(th.getName() + " ended").isFalse();
        }
        if (!other.isEmpty()) {
            AssertionError e = new AssertionError("a reader ended with something else than ClosedException");
            other.forEach(e::addSuppressed);
            throw e;
        }
        return new int[] {(int) closedEndings.get()};
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
