package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.RowKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare / commit(checkpointId, seq) and the ABORT policy of writer open. */
class TwoPhaseCommitTest {
    @TempDir
    Path dir;

    private final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
    private final UnsafeBuffer row = new UnsafeBuffer(new byte[16]);

    private void append(ChangelogWriter writer, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            key.putLong(0, seq);
            writer.append(seq, RowKind.INSERT, key, 0, 8, row, 0, 16);
        }
    }

    private static List<Long> seqs(ChangelogTailer tailer) {
        List<Long> out = new ArrayList<>();
        for (ChangelogRecord r = tailer.poll(); r != null; r = tailer.poll()) {
            out.add(r.seq());
            assertThat(r.key().getLong(0)).isEqualTo(r.seq());
        }
        return out;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(s);
        }
        return out;
    }

    private static TailerOptions from(long seq, IsolationLevel isolation) {
        return TailerOptions.fromSeq(seq).withIsolation(isolation);
    }

    @Test
    void aPreparedSeqIsInvisibleUntilCommittedAndACommitPublishesOnlyUpToIt() throws Exception {
        ChangelogOptions options = TestRecords.smallOptions(dir).withSyncMode(SyncMode.FSYNC_ON_COMMIT);
        try (ChangelogWriter writer = ChangelogWriter.open(options);
             ChangelogTailer committed = writer.newTailer(TailerOptions.fromStart().withIsolation(IsolationLevel.READ_COMMITTED))) {
            assertThat(writer.prepare()).as("a brand-new changelog prepares nothing").isEqualTo(-1);
            assertThat(writer.commit(0, -1)).isEqualTo(-1);
            append(writer, 1, 10);
            long prepared = writer.prepare();
            assertThat(prepared).isEqualTo(10);
            assertThat(seqs(committed)).as("prepared, not committed").isEmpty();
            append(writer, 11, 15);
            // The committer may run on another thread.
            long result = CompletableFuture.supplyAsync(() -> writer.commit(1, prepared)).get();
            assertThat(result).isEqualTo(10);
            assertThat(writer.committedSeq()).isEqualTo(10);
            assertThat(seqs(committed)).isEqualTo(range(1, 10));
            try (ChangelogReader reader = ChangelogReader.open(options);
                 ChangelogTailer other = reader.newTailer(TailerOptions.fromStart().withIsolation(IsolationLevel.READ_COMMITTED))) {
                assertThat(seqs(other)).isEqualTo(range(1, 10));
            }
            assertThat(writer.commit(1, 15)).as("same id: no-op").isEqualTo(10);
            assertThat(writer.commit(0, 15)).as("older id: no-op").isEqualTo(10);
            assertThat(writer.commit(2, 10)).as("a new id at the committed seq").isEqualTo(10);
            assertThat(writer.lastCheckpointId()).isEqualTo(2);
            assertThat(writer.commit(3)).as("one-step commit: everything").isEqualTo(15);
            assertThat(seqs(committed)).isEqualTo(range(11, 15));
        }
    }

    @Test
    void committingASeqThatWasNotPreparedOrIsNoRecordIsAnErrorNamingBothSeqs() {
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir))) {
            append(writer, 1, 5);
            assertThat(writer.prepare()).isEqualTo(5);
            append(writer, 6, 8);
            assertThatThrownBy(() -> writer.commit(1, 7)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seq 7").hasMessageContaining("last prepared seq is 5");
            assertThatThrownBy(() -> writer.commit(1, 99)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seq 99").hasMessageContaining("last prepared seq is 5");
            assertThat(writer.committedSeq()).isEqualTo(-1);
            assertThat(writer.commit(1, 3)).as("any durable record may be committed").isEqualTo(3);
            assertThatThrownBy(() -> writer.commit(2, 2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seq 2").hasMessageContaining("committed seq 3");
            assertThatThrownBy(() -> writer.commit(-1, 3)).isInstanceOf(IllegalArgumentException.class);
            writer.append(20, RowKind.INSERT, key, 0, 8, row, 0, 16);
            writer.prepare();
            assertThatThrownBy(() -> writer.commit(2, 12)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seq 12").hasMessageContaining("no record has that seq");
            assertThat(writer.commit(2, 5)).isEqualTo(5);
            assertThat(writer.commit(3, 20)).isEqualTo(20);
        }
    }

    @Test
    void keepIsTheDefaultAndRecoveredRecordsMayBeCommittedBySeq() {
        ChangelogOptions options = TestRecords.smallOptions(dir);
        assertThat(options.uncommitted()).isEqualTo(UncommittedPolicy.KEEP);
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            append(writer, 1, 10);
            writer.commit(1, writer.prepare() - 6);
        }
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            assertThat(writer.recovery().abortedUncommitted()).isZero();
            assertThat(writer.lastSeq()).isEqualTo(10);
            try (ChangelogTailer all = writer.newTailer(from(0, IsolationLevel.READ_UNCOMMITTED))) {
                assertThat(seqs(all)).isEqualTo(range(1, 10));
            }
            assertThat(writer.commit(2, 7)).as("found by a search, not in the prepared cache").isEqualTo(7);
        }
    }

    @Test
    void abortOnOpenVoidsEverythingAboveTheCommittedSeqAndSeqsContinueAboveTheHighest() {
        ChangelogOptions keep = TestRecords.smallOptions(dir).withSyncMode(SyncMode.FSYNC_ON_COMMIT);
        ChangelogOptions abort = keep.withUncommitted(UncommittedPolicy.ABORT);
        try (ChangelogWriter writer = ChangelogWriter.open(abort)) {
            append(writer, 1, 5);
            writer.commit(1);
            append(writer, 6, 8);
            assertThat(writer.prepare()).isEqualTo(8);
            append(writer, 9, 10);
        }
        try (ChangelogReader reader = ChangelogReader.open(keep);
             ChangelogTailer early = reader.newTailer(from(0, IsolationLevel.READ_UNCOMMITTED))) {
            assertThat(early.poll().seq()).as("a tailer of another process, positioned before the abort").isEqualTo(1);
            try (ChangelogWriter writer = ChangelogWriter.open(abort)) {
                RecoveryReport report = writer.recovery();
                assertThat(report.abortedUncommitted()).isEqualTo(5);
                assertThat(report.highestSeq()).isEqualTo(10);
                assertThat(report.lastSeq()).isEqualTo(5);
                assertThat(writer.lastSeq()).as("appends continue above the highest seq ever written").isEqualTo(10);
                assertThat(writer.prepare()).as("nothing valid above the committed seq").isEqualTo(5);
                assertThatThrownBy(() -> writer.commit(2, 8)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("seq 8");
                assertThat(seqs(early)).isEqualTo(range(2, 5));
                assertThatThrownBy(() -> writer.append(10, RowKind.INSERT, key, 0, 8, row, 0, 16))
                        .isInstanceOf(SeqOrderException.class);
                append(writer, 11, 12);
                assertThat(seqs(early)).isEqualTo(range(11, 12));
                try (ChangelogTailer committed = writer.newTailer(TailerOptions.fromStart().withIsolation(IsolationLevel.READ_COMMITTED))) {
                    assertThat(seqs(committed)).isEqualTo(range(1, 5));
                    assertThat(writer.commit(2, writer.prepare())).isEqualTo(12);
                    assertThat(seqs(committed)).isEqualTo(range(11, 12));
                }
                append(writer, 13, 14);
            }
        }
        try (ChangelogWriter writer = ChangelogWriter.open(abort)) {
            assertThat(writer.recovery().abortedUncommitted()).isEqualTo(2);
            assertThat(writer.lastSeq()).isEqualTo(14);
            List<Long> expected = new ArrayList<>(range(1, 5));
            expected.addAll(range(11, 12));
            for (IsolationLevel isolation : IsolationLevel.values()) {
                try (ChangelogTailer all = writer.newTailer(from(0, isolation))) {
                    assertThat(seqs(all)).as(isolation.toString()).isEqualTo(expected);
                }
            }
            for (long start = 0; start <= 15; start++) {
                long s = start;
                try (ChangelogTailer t = writer.newTailer(from(start, IsolationLevel.READ_UNCOMMITTED))) {
                    assertThat(seqs(t)).as("seek to seq " + start).isEqualTo(expected.stream().filter(x -> x >= s).toList());
                }
            }
        }
        try (ChangelogWriter writer = ChangelogWriter.open(keep)) {
            assertThat(writer.recovery().abortedUncommitted()).as("KEEP voids nothing more").isZero();
            assertThat(writer.lastSeq()).isEqualTo(14);
        }
    }

    @Test
    void abortUncommittedLaterVoidsWhatARestorePointLeavesOutAndKeepsWhatItCommits() {
        ChangelogOptions options = TestRecords.smallOptions(dir).withSyncMode(SyncMode.FSYNC_ON_COMMIT);
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            append(writer, 1, 5);
            writer.commit(1);
            append(writer, 6, 9);
            assertThat(writer.prepare()).isEqualTo(9);
            append(writer, 10, 12);
        }
        // A restart that keeps the recovered records until it knows its restore point (seq 9).
        try (ChangelogWriter writer = ChangelogWriter.open(options.withUncommitted(UncommittedPolicy.KEEP));
             ChangelogTailer uncommitted = writer.newTailer(from(0, IsolationLevel.READ_UNCOMMITTED))) {
            assertThat(writer.lastSeq()).isEqualTo(12);
            assertThat(writer.commit(2, 9)).as("the restore point, committed after the restart").isEqualTo(9);
            assertThat(writer.abortUncommitted()).as("10..12 voided").isEqualTo(3);
            assertThat(writer.abortUncommitted()).as("idempotent").isZero();
            assertThat(seqs(uncommitted)).isEqualTo(range(1, 9));
            assertThatThrownBy(() -> writer.commit(3, 11)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("11");
            assertThatThrownBy(() -> append(writer, 12, 12)).as("a voided seq is never reused").isInstanceOf(SeqOrderException.class);
            append(writer, 13, 14);
            assertThat(writer.prepare()).isEqualTo(14);
            assertThat(writer.commit(3, 14)).isEqualTo(14);
            List<Long> expected = range(1, 9);
            expected.addAll(range(13, 14));
            assertThat(seqs(uncommitted)).isEqualTo(range(13, 14));
            try (ChangelogTailer all = writer.newTailer(from(0, IsolationLevel.READ_COMMITTED))) {
                assertThat(seqs(all)).isEqualTo(expected);
            }
        }
        try (ChangelogWriter writer = ChangelogWriter.open(options.withUncommitted(UncommittedPolicy.ABORT));
             ChangelogTailer all = writer.newTailer(from(0, IsolationLevel.READ_UNCOMMITTED))) {
            assertThat(writer.committedSeq()).isEqualTo(14);
            assertThat(writer.recovery().abortedUncommitted()).isZero();
            List<Long> expected = range(1, 9);
            expected.addAll(range(13, 14));
            assertThat(seqs(all)).isEqualTo(expected);
        }
    }

    @Test
    void abortUncommittedForgetsPreparedPointsAboveTheCommittedSeq() {
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir))) {
            append(writer, 1, 3);
            writer.commit(1);
            append(writer, 4, 6);
            assertThat(writer.prepare()).isEqualTo(6);
            assertThat(writer.abortUncommitted()).isEqualTo(3);
            assertThatThrownBy(() -> writer.commit(2, 6)).as("its prepared point is gone").isInstanceOf(IllegalArgumentException.class);
            assertThat(writer.prepare()).as("nothing valid above the committed seq").isEqualTo(3);
            append(writer, 7, 7);
            assertThat(writer.commit(2)).isEqualTo(7);
        }
    }
}
