package io.floe.kernel;

import static io.floe.kernel.CountedWrites.expected;
import static io.floe.kernel.CountedWrites.range;
import static io.floe.kernel.CountedWrites.rows;
import static io.floe.kernel.CountedWrites.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.changelog.IsolationLevel;
import io.floe.changelog.SyncMode;
import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.RecoveryPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore points ({@link BucketWriter#restore}, {@link BucketWriter#abortUncommitted},
 * {@link RecoveryPolicy#DEFER_TO_WRITER}) and read-committed snapshots: what a Flink sink restored
 * from a checkpoint needs. Rows are (k = v % 50, v, cnt 1) into an aggregation table (sum of cnt),
 * so a lost or doubled write changes a count.
 */
class RestorePointTest {
    @TempDir
    Path dir;

    private final CountedWrites writes = new CountedWrites();

    @AfterEach
    void free() {
        writes.close();
    }

    private Floe open(RecoveryPolicy policy) {
        return CountedWrites.open(dir, policy);
    }

    /**
     * Writes 0..2999 committed (seq 3000), 3000..4999 prepared at seq 5000 (a checkpoint that
     * completed but whose commit never ran), 5000..5999 prepared at 6000 (a checkpoint that never
     * completed), and stops without committing.
     */
    private void crashBetweenCompletionAndCommit(RecoveryPolicy policy) {
        try (Floe floe = open(policy); BucketWriter w = table(floe).writer(0)) {
            if (policy == RecoveryPolicy.DEFER_TO_WRITER) {
                w.abortUncommitted();
            }
            writes.write(w, 0, 2_999);
            w.commitPrepared(3_000, w.prepareCommit(1));
            writes.write(w, 3_000, 4_999);
            assertThat(w.prepareCommit(2)).isEqualTo(5_000);
            writes.write(w, 5_000, 5_999);
            assertThat(w.prepareCommit(3)).isEqualTo(6_000);
            w.flush();
        }
    }

    @Test
    void aDeferredBucketKeepsItsUncommittedWritesUntilTheWriterRestoresToItsPoint() {
        crashBetweenCompletionAndCommit(RecoveryPolicy.DEFER_TO_WRITER);
        try (Floe floe = open(RecoveryPolicy.DEFER_TO_WRITER)) {
            Table t = table(floe);
            assertThat(rows(t, IsolationLevel.READ_COMMITTED)).isEqualTo(expected(2_999));
            assertThat(rows(t, IsolationLevel.READ_UNCOMMITTED)).as("kept, undecided").isEqualTo(expected(5_999));
            try (BucketWriter w = t.writer(0)) {
                assertThatThrownBy(() -> writes.write(w, 9_000, 9_000)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("restore");
                assertThatThrownBy(() -> w.prepareCommit(4)).isInstanceOf(IllegalStateException.class);
                assertThat(w.restore(5_000, 5_000)).isEqualTo(5_000);
                assertThat(t.commit(0, 5_000, 5_000)).as("the committer's retry after the restore: a no-op").isEqualTo(5_000);
                assertThat(rows(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(expected(4_999));
                assertThat(rows(t, IsolationLevel.READ_COMMITTED)).isEqualTo(expected(4_999));
                assertThat(writes.tailValues(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(range(0, 4_999));
                writes.write(w, 5_000, 5_499);
                assertThat(w.commit(10_000)).as("seqs continue above the aborted ones").isGreaterThan(6_000);
                w.flush();
            }
            assertThat(rows(t, IsolationLevel.READ_COMMITTED)).isEqualTo(expected(5_499));
        }
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            assertThat(rows(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(expected(5_499));
            assertThat(writes.tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 5_499));
        }
    }

    @Test
    void aCommitterMayCommitTheRestoredCheckpointBeforeTheWriterStarts() {
        crashBetweenCompletionAndCommit(RecoveryPolicy.DEFER_TO_WRITER);
        try (Floe floe = open(RecoveryPolicy.DEFER_TO_WRITER)) {
            Table t = table(floe);
            assertThat(t.commit(0, 5_000, 5_000)).isEqualTo(5_000);
            assertThat(rows(t, IsolationLevel.READ_COMMITTED)).isEqualTo(expected(4_999));
            try (BucketWriter w = t.writer(0)) {
                assertThat(w.restore(5_000, 5_000)).isEqualTo(5_000);
                assertThat(rows(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(expected(4_999));
            }
        }
    }

    @Test
    void aFreshWriterAbortsWhatNoCommitPublished() {
        crashBetweenCompletionAndCommit(RecoveryPolicy.DEFER_TO_WRITER);
        try (Floe floe = open(RecoveryPolicy.DEFER_TO_WRITER)) {
            Table t = table(floe);
            try (BucketWriter w = t.writer(0)) {
                assertThat(w.abortUncommitted()).isEqualTo(3_000);
                assertThatThrownBy(() -> t.commit(0, 5_000, 5_000)).as("aborted").isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(rows(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(expected(2_999));
            assertThat(writes.tailValues(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(range(0, 2_999));
        }
    }

    @Test
    void aRestoreInTheSameProcessRebuildsTheMemtablesWhileOldSnapshotsKeepTheirView() {
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            try (BucketWriter w = t.writer(0)) {
                writes.write(w, 0, 999);
                w.commit(1_000);
                writes.write(w, 1_000, 3_999);
                assertThat(w.prepareCommit(2)).isEqualTo(4_000);
                writes.write(w, 4_000, 6_999);
            }
            // A task failover: the store stays open, a new writer restores to the completed checkpoint.
            try (Snapshot before = t.snapshot(); BucketWriter w = t.writer(0)) {
                assertThat(w.restore(4_000, 4_000)).isEqualTo(4_000);
                assertThat(rows(before)).as("an older snapshot keeps its memtables").isEqualTo(expected(6_999));
                assertThat(rows(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(expected(3_999));
                writes.write(w, 4_000, 7_999);
                w.commit(10_000);
                w.flush();
                assertThat(t.stats(0).sortedRuns()).as("flushes run again after the rebuild").isPositive();
            }
            assertThat(rows(t, IsolationLevel.READ_COMMITTED)).isEqualTo(expected(7_999));
        }
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            assertThat(rows(table(floe), IsolationLevel.READ_COMMITTED)).isEqualTo(expected(7_999));
        }
    }

    @Test
    void keepUncommittedCannotRestore() {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults()); BucketWriter w = table(floe).writer(0)) {
            assertThatThrownBy(w::abortUncommitted).isInstanceOf(IllegalStateException.class).hasMessageContaining("KEEP_UNCOMMITTED");
        }
    }

    @Test
    void aReadCommittedSnapshotSeesTheCommittedVersionEvenAfterUncommittedOnesWereFlushedAndCompacted() {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults())) {
            Table t = table(floe);
            BucketWriter w = t.writer(0);
            assertThat(rows(t, IsolationLevel.READ_COMMITTED)).as("nothing committed yet").isEmpty();
            writes.write(w, 0, 1_999);
            w.commit(1);
            writes.write(w, 2_000, 3_999);
            w.flush();
            t.compact(0);
            assertThat(rows(t, IsolationLevel.READ_COMMITTED)).isEqualTo(expected(1_999));
            assertThat(rows(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(expected(3_999));
            w.close();
        }
    }

    /**
     * Readers on other threads take snapshots (both isolations) while a writer restores its bucket
     * again and again: every snapshot must equal the table after some prefix of the writes that is
     * a commit point or (read-uncommitted) a point the writer reached; a mix of the old and the
     * rebuilt memtables would break the counts.
     */
    @Test
    void readersNeverSeeAHalfRebuiltBucket() throws Exception {
        java.util.Set<Long> allowedEnds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        allowedEnds.add(-1L);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE, RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            long committedEnd = -1;
            List<java.util.concurrent.Future<?>> readers = new ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                for (int r = 0; r < 3; r++) {
                    IsolationLevel isolation = r == 0 ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
                    readers.add(pool.submit(() -> {
                        while (!stop.get()) {
                            TreeMap<Long, List<Long>> rows = rows(t, isolation);
                            long end = rows.values().stream().mapToLong(v -> v.get(0)).max().orElse(-1);
                            assertThat(rows).as("a snapshot at v=%d", end).isEqualTo(expected(end));
                            assertThat(allowedEnds).as("v=%d is a point the writer reached", end).contains(end);
                            checks.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (int round = 0; round < 12; round++) {
                    try (BucketWriter w = t.writer(0)) {
                        long from = committedEnd + 1;
                        long prepared = from + 499;
                        for (long v = from; v <= prepared + 700; v++) {
                            allowedEnds.add(v);
                            writes.write(w, v, v);
                            if (v == prepared) {
                                w.prepareCommit(round);
                            }
                        }
                        if (round % 3 == 0) {
                            w.flush();
                        }
                        committedEnd = prepared;
                    }
                    // A new writer restores to the prepared point, 700 writes back (the seq doubles as the commit id, as in the sink).
                    try (BucketWriter next = t.writer(0)) {
                        long point = t.stats(0).lastSeq() - 700;
                        assertThat(next.restore(point, point)).isEqualTo(point);
                    }
                    assertThat(rows(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(expected(committedEnd));
                }
                stop.set(true);
                for (java.util.concurrent.Future<?> f : readers) {
                    f.get();
                }
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
            assertThat(checks.get()).as("readers ran").isPositive();
            assertThat(rows(t, IsolationLevel.READ_COMMITTED)).isEqualTo(expected(committedEnd));
        }
    }

    @Test
    void lookupsHonourTheirIsolation() {
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED);
             OffHeapAllocator scratch = new OffHeapAllocator("keys", 1 << 20);
             RowWriter keyRow = new RowWriter(CrashLoopTest.SCHEMA, scratch)) {
            Table t = table(floe);
            KeyEncoder keys = t.keyEncoder();
            UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
            try (BucketWriter w = t.writer(0); Lookup committed = t.newLookup(IsolationLevel.READ_COMMITTED);
                 Lookup uncommitted = t.newLookup(IsolationLevel.READ_UNCOMMITTED)) {
                writes.write(w, 0, 99);
                w.commit(1);
                writes.write(w, 100, 149);
                for (long k = 0; k < 50; k++) {
                    keyRow.reset().setLong(0, k);
                    int rowLength = keyRow.complete();
                    int keyLength = keys.encode(new RowReader(CrashLoopTest.SCHEMA).wrap(keyRow.buffer(), 0, rowLength), key, 0);
                    assertThat(committed.get(key, 0, keyLength)).isTrue();
                    assertThat(committed.row().getLong(2)).as("count of key %d, committed", k).isEqualTo(2);
                    assertThat(uncommitted.get(key, 0, keyLength)).isTrue();
                    assertThat(uncommitted.row().getLong(2)).as("count of key %d, uncommitted", k).isEqualTo(3);
                }
            }
        }
    }
}
