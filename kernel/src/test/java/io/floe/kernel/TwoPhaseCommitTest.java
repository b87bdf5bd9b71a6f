package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.changelog.SyncMode;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.RecoveryPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepareCommit / commitPrepared / Table.commit and the recovery policies, in the default sync mode (FSYNC_ON_COMMIT). */
class TwoPhaseCommitTest {
    @TempDir
    Path dir;

    private final OffHeapAllocator scratch = new OffHeapAllocator("test rows", Long.MAX_VALUE);
    private final RowWriter row = new RowWriter(CrashLoopTest.SCHEMA, scratch);
    private final RowReader reader = new RowReader(CrashLoopTest.SCHEMA);

    @AfterEach
    void free() {
        row.close();
        scratch.close();
    }

    private Floe open(RecoveryPolicy policy) {
        return Floe.open(dir, FloeOptions.defaults(), SyncMode.FSYNC_ON_COMMIT, policy);
    }

    private static Table table(Floe floe) {
        return floe.table("t", CrashLoopTest.SCHEMA, CrashLoopTest.options().withBuckets(1));
    }

    /** Writes (k, v, cnt 1) for every v in [from, to], key v % 50. */
    private void write(BucketWriter w, long from, long to) {
        for (long v = from; v <= to; v++) {
            row.reset().setAll(v % 50, v, 1L);
            row.complete();
            w.upsert(row.buffer(), 0, row.length());
        }
    }

    private List<Long> tailValues(Table t, IsolationLevel isolation) {
        List<Long> out = new ArrayList<>();
        try (ChangelogTailer tailer = t.tail(0, 0, isolation)) {
            for (ChangelogRecord r = tailer.poll(); r != null; r = tailer.poll()) {
                out.add(reader.wrap(r.row(), 0, r.rowLength()).getLong(1));
            }
        }
        return out;
    }

    /** Returns key → {v, cnt}. */
    private static TreeMap<Long, List<Long>> rows(Table t) {
        TreeMap<Long, List<Long>> out = new TreeMap<>();
        try (Snapshot s = t.snapshot(); RowScan scan = s.scan(0, ScanOptions.all())) {
            while (scan.next()) {
                out.put(scan.row().getLong(0), List.of(scan.row().getLong(1), scan.row().getLong(2)));
            }
        }
        return out;
    }

    /** The expected table after writes [0, upTo] (keys v % 50, counted once each). */
    private static TreeMap<Long, List<Long>> expected(long upTo) {
        TreeMap<Long, List<Long>> out = new TreeMap<>();
        for (long v = 0; v <= upTo; v++) {
            long k = v % 50;
            long cnt = out.containsKey(k) ? out.get(k).get(1) + 1 : 1;
            out.put(k, List.of(v, cnt));
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            out.add(v);
        }
        return out;
    }

    @Test
    void aPreparedCommitIsInvisibleUntilCommittedAndPublishesOnlyUpToItsSeq() throws Exception {
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            BucketWriter w = t.writer(0);
            assertThat(w.prepareCommit(1)).as("a fresh bucket prepares nothing").isEqualTo(-1);
            write(w, 0, 99);
            long seq = w.prepareCommit(1);
            assertThat(seq).isEqualTo(100);
            assertThat(tailValues(t, IsolationLevel.READ_COMMITTED)).isEmpty();
            write(w, 100, 149);
            assertThat(CompletableFuture.supplyAsync(() -> t.commit(0, 1, seq)).get()).as("a committer thread").isEqualTo(100);
            assertThat(tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 99));
            assertThat(w.commitPrepared(1, 150)).as("same id: no-op").isEqualTo(100);
            assertThat(w.commitPrepared(0, 150)).as("older id: no-op").isEqualTo(100);
            assertThatThrownBy(() -> w.commitPrepared(2, 150)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seq 150").hasMessageContaining("last prepared seq is 100");
            assertThatThrownBy(() -> t.commit(0, 2, 1_000)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seq 1000");
            assertThat(w.commit(2)).as("one-step commit: everything").isEqualTo(150);
            assertThat(w.lastCommittedCheckpoint()).isEqualTo(2);
            assertThat(tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 149));
            w.close();
        }
    }

    @Test
    void abortUncommittedDropsEverythingAfterTheLastCommitFromMemtablesSstsAndTailers() {
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            try (BucketWriter w = t.writer(0)) {
                write(w, 0, 2_999);
                long seq = w.prepareCommit(1);
                write(w, 3_000, 4_999);
                w.commitPrepared(1, seq);
                w.flush();
                assertThat(t.stats(0).sortedRuns()).as("committed memtables were flushed").isPositive();
                write(w, 5_000, 5_999);
                w.prepareCommit(2);
                w.flush();
                assertThat(rows(t)).isEqualTo(expected(5_999));
            }
        }
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            assertThat(rows(t)).isEqualTo(expected(2_999));
            assertThat(tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 2_999));
            assertThat(tailValues(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(range(0, 2_999));
            try (BucketWriter w = t.writer(0)) {
                assertThatThrownBy(() -> w.commitPrepared(3, 4_000)).as("an aborted seq")
                        .isInstanceOf(IllegalArgumentException.class);
                write(w, 3_000, 3_499);
                assertThat(w.commit(3)).as("new seqs continue above the aborted ones").isGreaterThan(6_000);
            }
        }
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            assertThat(rows(t)).isEqualTo(expected(3_499));
            assertThat(tailValues(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(range(0, 3_499));
        }
    }

    @Test
    void theDefaultPolicyKeepsUncommittedWrites() {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults()); BucketWriter w = table(floe).writer(0)) {
            write(w, 0, 9);
            w.commit(1);
            write(w, 10, 19);
            w.prepareCommit(2);
        }
        try (Floe floe = Floe.open(dir, FloeOptions.defaults())) {
            Table t = table(floe);
            assertThat(rows(t)).isEqualTo(expected(19));
            assertThat(tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 9));
            assertThat(t.commit(0, 2, 20)).as("a kept, recovered record may be committed by seq").isEqualTo(20);
            assertThat(tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 19));
        }
    }
}
