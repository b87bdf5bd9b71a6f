package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.changelog.SyncMode;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.testing.ChildJvm;
import io.floe.common.testing.Seeds;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.RecoveryPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 crash loop in {@link RecoveryPolicy#ABORT_UNCOMMITTED} mode, two-phase commits: a child
 * JVM writes write number i to key {@code i % KEYS} (v = i, cnt += 1 under the aggregation
 * engine) in batches, prepares both buckets after each batch, and commits the prepared seqs only
 * for some batches (a checkpoint that "completed"), printing the last committed i; the parent kills
 * it at a random moment. After each reopen the table must equal exactly the committed writes
 * (key k holds the last committed write to it, and cnt counts each committed write once: nothing
 * lost, nothing uncommitted, nothing doubled), and read-committed and read-uncommitted tailers
 * from the start must return exactly the committed writes, once each, in order. The child resumes
 * after the last committed write, as a Flink source replays after the last checkpoint.
 * 20 cycles by default; more with {@code -Dfloe.crash.cycles=N}.
 */
class AbortCrashLoopTest {
    private static final int KEYS = CrashLoopTest.KEYS;
    private static final int CYCLES = Integer.getInteger("floe.crash.cycles", 20);

    @TempDir
    Path dir;

    @Test
    void exactlyTheCommittedWritesSurviveKill9() throws Exception {
        SplittableRandom r = Seeds.random("AbortCrashLoopTest");
        long lastCommitted = -1;
        int runs = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            long committed;
            try (ChildJvm child = ChildJvm.start(Child.class, List.of(), dir.toString(), Long.toString(r.nextLong()))) {
                // The child prints "C i" once commit i returned; the last one printed before the kill counts.
                committed = ChildJvm.lastNumber(child.killAfter("READY", 100 + r.nextInt(900)), "C ", -1);
            }
            // The child prints "C i" only after both buckets' commits returned; a commit may have
            // reached one bucket or both without being printed: the table then holds more.
            lastCommitted = Math.max(lastCommitted, committed);
            runs = Math.max(runs, verify(lastCommitted, cycle));
        }
        assertThat(lastCommitted).as("no write was ever committed").isPositive();
        assertThat(runs).as("no memtable was ever flushed").isPositive();
    }

    /** Returns the committed writes per bucket, in seq order, as the writes i they carry. */
    private int verify(long acknowledged, int cycle) {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE, RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = floe.table("t", CrashLoopTest.SCHEMA, CrashLoopTest.options());
            // Per bucket, what its changelog committed: every write i routed to it up to some limit.
            RowReader rr = new RowReader(CrashLoopTest.SCHEMA);
            long[] committedUpTo = new long[2];
            for (int b = 0; b < 2; b++) {
                List<Long> expectedOrder = null;
                for (IsolationLevel isolation : IsolationLevel.values()) {
                    List<Long> seen = new ArrayList<>();
                    try (ChangelogTailer tailer = t.tail(b, 0, isolation)) {
                        for (ChangelogRecord rec = tailer.poll(); rec != null; rec = tailer.poll()) {
                            seen.add(rr.wrap(rec.row(), 0, rec.rowLength()).getLong(1));
                        }
                    }
                    if (expectedOrder == null) {
                        expectedOrder = seen;
                    } else {
                        assertThat(seen).as("cycle %d bucket %d: %s sees the same as read-committed", cycle, b, isolation)
                                .isEqualTo(expectedOrder);
                    }
                }
                for (int i = 1; i < expectedOrder.size(); i++) {
                    assertThat(expectedOrder.get(i)).as("cycle %d bucket %d: writes once each, in order", cycle, b)
                            .isGreaterThan(expectedOrder.get(i - 1));
                }
                committedUpTo[b] = expectedOrder.isEmpty() ? -1 : expectedOrder.get(expectedOrder.size() - 1);
            }
            // The committed prefix of writes: everything up to the last one acknowledged is committed in both buckets.
            long upTo = Math.max(committedUpTo[0], committedUpTo[1]);
            assertThat(upTo).as("cycle %d: acknowledged commit lost", cycle).isGreaterThanOrEqualTo(acknowledged);
            Map<Long, long[]> rows = CountedRows.of(t);
            // Commits are per batch and both buckets commit the same batch: each bucket's prefix
            // ends at a batch end; the table holds exactly the writes up to it, in the bucket of each key.
            for (long k = 0; k < KEYS; k++) {
                int b = bucketOfKey(t, k);
                long last = committedUpTo[b] < k ? -1 : k + (committedUpTo[b] - k) / KEYS * KEYS;
                long[] got = rows.get(k);
                if (last < 0) {
                    assertThat(got).as("cycle %d: key %d holds an uncommitted write", cycle, k).isNull();
                    continue;
                }
                assertThat(got).as("cycle %d: key %d lost", cycle, k).isNotNull();
                assertThat(got[0]).as("cycle %d: key %d last committed write", cycle, k).isEqualTo(last);
                assertThat(got[1]).as("cycle %d: key %d count", cycle, k).isEqualTo((last - k) / KEYS + 1);
            }
            int runs = t.stats(0).sortedRuns() + t.stats(1).sortedRuns();
            t.close();
            return runs;
        }
    }

    private static int bucketOfKey(Table t, long k) {
        try (OffHeapAllocator a = new OffHeapAllocator("verify", Long.MAX_VALUE);
             RowWriter w = new RowWriter(CrashLoopTest.SCHEMA, a)) {
            w.reset().setAll(k, 0L, 0L);
            w.complete();
            return t.bucketOf(new RowReader(CrashLoopTest.SCHEMA).wrap(w.buffer(), 0, w.length()));
        }
    }

    /**
     * The child: resumes after the last committed write (the highest v in the table), then forever
     * writes a batch of 1 to 60 writes, prepares both buckets, and commits the prepared seqs with
     * probability 1/2 right away, else after the next batch was written (the committer lagging the
     * writer), or never (the checkpoint failed: the next commit covers it).
     */
    public static final class Child {
        public static void main(String[] args) {
            SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
            Floe floe = Floe.open(Path.of(args[0]), FloeOptions.defaults(), SyncMode.NONE, RecoveryPolicy.ABORT_UNCOMMITTED);
            Table t = floe.table("t", CrashLoopTest.SCHEMA, CrashLoopTest.options());
            // Each bucket resumes after its own last committed write: a kill between the two buckets'
            // commits leaves them committed to different batch ends, and the writes the abort removed
            // from the lagging bucket must be written again (the other bucket's must not).
            long[] have = {-1, -1};
            try (Snapshot s = t.snapshot()) {
                for (int b = 0; b < s.bucketCount(); b++) {
                    try (RowScan scan = s.scan(b, ScanOptions.all())) {
                        while (scan.next()) {
                            have[b] = Math.max(have[b], scan.row().getLong(1));
                        }
                    }
                }
            }
            long next = Math.min(have[0], have[1]) + 1;
            OffHeapAllocator scratch = new OffHeapAllocator("child rows", Long.MAX_VALUE);
            RowWriter row = new RowWriter(CrashLoopTest.SCHEMA, scratch);
            RowReader reader = new RowReader(CrashLoopTest.SCHEMA);
            BucketWriter[] writers = {t.writer(0), t.writer(1)};
            long checkpoint = Math.max(writers[0].lastCommittedCheckpoint(), writers[1].lastCommittedCheckpoint()) + 1;
            long[] pending = null;
            long pendingCheckpoint = -1;
            long pendingLast = -1;
            System.out.println("READY");
            System.out.flush();
            for (long i = next; ; ) {
                int batch = 1 + random.nextInt(60);
                for (int j = 0; j < batch; j++, i++) {
                    row.reset().setAll(i % KEYS, i, 1L);
                    row.complete();
                    int b = t.bucketOf(reader.wrap(row.buffer(), 0, row.length()));
                    if (i > have[b]) {
                        writers[b].upsert(row.buffer(), 0, row.length());
                    }
                }
                if (pending != null) {
                    t.commit(0, pendingCheckpoint, pending[0]);
                    t.commit(1, pendingCheckpoint, pending[1]);
                    System.out.println("C " + pendingLast);
                    System.out.flush();
                    pending = null;
                }
                long[] prepared = {writers[0].prepareCommit(checkpoint), writers[1].prepareCommit(checkpoint)};
                int choice = random.nextInt(4);
                if (choice < 2) {
                    writers[0].commitPrepared(checkpoint, prepared[0]);
                    writers[1].commitPrepared(checkpoint, prepared[1]);
                    System.out.println("C " + (i - 1));
                    System.out.flush();
                } else if (choice == 2) {
                    pending = prepared;
                    pendingCheckpoint = checkpoint;
                    pendingLast = i - 1;
                }
                checkpoint++;
            }
        }
    }
}
