package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.RowKind;
import io.floe.common.error.ClosedException;
import io.floe.common.error.FloeIOException;
import io.floe.common.error.InvalidOptionException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input, idempotent commits, wait strategies and the writer lock. */
class ChangelogContractTest {
    @TempDir
    Path dir;

    private final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
    private final UnsafeBuffer row = new UnsafeBuffer(new byte[16]);

    @Test
    void syncedCommitsWorkOnABrandNewChangelogAndAcrossReopens() {
        // The default mode of the kernel. A new changelog has no queue file until its first append, and
        // a commit before any append has nothing to sync: both must work, and so must a commit after
        // reopening a changelog that already has files.
        ChangelogOptions options = TestRecords.smallOptions(dir.resolve("fresh")).withSyncMode(SyncMode.FSYNC_ON_COMMIT);
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            assertThat(writer.commit(1)).isEqualTo(writer.lastSeq());
            writer.append(1, RowKind.INSERT, key, 0, 8, row, 0, 16);
            assertThat(writer.commit(2)).isEqualTo(1);
        }
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            assertThat(writer.committedSeq()).isEqualTo(1);
            writer.append(2, RowKind.INSERT, key, 0, 8, row, 0, 16);
            assertThat(writer.commit(3)).isEqualTo(2);
        }
    }

    @Test
    void aWriterHandedToAnotherThreadKeepsAppending() throws Exception {
        // One owner at a time, but not always the same thread: a bucket's writer may be closed and
        // taken again on another thread (same-process failover). Chronicle's own first-thread check
        // would refuse the second thread's appends; Floe's single-owner rule guards the appender.
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir.resolve("handover")))) {
            writer.append(1, RowKind.INSERT, key, 0, 8, row, 0, 16);
            Throwable[] failure = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    UnsafeBuffer k = new UnsafeBuffer(new byte[8]);
                    UnsafeBuffer r = new UnsafeBuffer(new byte[16]);
                    writer.append(2, RowKind.INSERT, k, 0, 8, r, 0, 16);
                    writer.append(3, RowKind.DELETE, k, 0, 8, r, 0, 16);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            other.start();
            other.join();
            assertThat(failure[0]).isNull();
            writer.append(4, RowKind.INSERT, key, 0, 8, row, 0, 16);
            assertThat(writer.commit(1)).isEqualTo(4);
            try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromSeq(1))) {
                for (long seq = 1; seq <= 4; seq++) {
                    ChangelogRecord record = tailer.poll();
                    assertThat(record).isNotNull();
                    assertThat(record.seq()).isEqualTo(seq);
                }
                assertThat(tailer.poll()).isNull();
            }
        }
    }

    @Test
    void seqOutOfOrderIsATypedErrorNamingIt() {
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir.resolve("c")))) {
            writer.append(5, RowKind.INSERT, key, 0, 8, row, 0, 16);
            assertThatThrownBy(() -> writer.append(5, RowKind.INSERT, key, 0, 8, row, 0, 16))
                    .isInstanceOfSatisfying(SeqOrderException.class, e -> {
                        assertThat(e.seq()).isEqualTo(5);
                        assertThat(e.lastSeq()).isEqualTo(5);
                        assertThat(e.getMessage()).contains("seq 5 is out of order");
                    });
            ChangelogBatch batch = new ChangelogBatch(2).add(6, RowKind.INSERT, key, 0, 8, row, 0, 16)
                    .add(6, RowKind.DELETE, key, 0, 8, row, 0, 16);
            assertThatThrownBy(() -> writer.appendBatch(batch)).isInstanceOf(SeqOrderException.class);
            assertThat(writer.lastSeq()).as("a rejected batch appends nothing").isEqualTo(5);
            assertThatThrownBy(() -> writer.append(6, RowKind.INSERT, key, 0, 9, row, 0, 16))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> writer.append(6, RowKind.INSERT, key, 0, 8, new UnsafeBuffer(new byte[70_000]), 0, 70_000))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum record size");
            writer.append(6, RowKind.INSERT, key, 0, 8, row, 0, 16);
            try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart())) {
                assertThat(TestRecords.drain(tailer)).extracting(TestRecords.Rec::seq).containsExactly(5L, 6L);
            }
        }
    }

    @Test
    void commitIsIdempotentByCheckpointId() {
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir.resolve("c")))) {
            assertThat(writer.commit(3)).isEqualTo(-1);
            writer.append(1, RowKind.INSERT, key, 0, 8, row, 0, 16);
            assertThat(writer.commit(3)).as("same id: no-op").isEqualTo(-1);
            assertThat(writer.commit(2)).as("older id: no-op").isEqualTo(-1);
            assertThat(writer.committedSeq()).isEqualTo(-1);
            assertThat(writer.commit(4)).isEqualTo(1);
            assertThat(writer.lastCheckpointId()).isEqualTo(4);
        }
    }

    @Test
    void badDirectoriesAreTypedErrorsNamingThePath() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-dir"));
        assertThatThrownBy(() -> ChangelogWriter.open(TestRecords.smallOptions(file)))
                .isInstanceOfSatisfying(FloeIOException.class, e -> assertThat(e.path()).isEqualTo(file.toString()));
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> ChangelogReader.open(TestRecords.smallOptions(missing)))
                .isInstanceOfSatisfying(FloeIOException.class, e -> assertThat(e.path()).isEqualTo(missing.toString()));
        Path under = file.resolve("child");
        assertThatThrownBy(() -> ChangelogWriter.open(TestRecords.smallOptions(under)))
                .isInstanceOf(FloeIOException.class).hasMessageContaining(under.toString());
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> ChangelogOptions.defaults(dir).withBlockSizeBytes(100_000))
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("changelog.block-size"));
        assertThatThrownBy(() -> TailerOptions.fromSeq(-1)).isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> TailerOptions.fromEnd().withMaxParkNanos(1)).isInstanceOf(InvalidOptionException.class);
    }

    @Test
    void aSecondWriterIsLockedOut() {
        ChangelogOptions options = TestRecords.smallOptions(dir.resolve("c"));
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            assertThatThrownBy(() -> ChangelogWriter.open(options)).isInstanceOf(ChangelogLockedException.class);
        }
        ChangelogWriter.open(options).close();
    }

    @Test
    void closedHandlesThrowClosedException() {
        ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir.resolve("c")));
        ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart());
        tailer.close();
        assertThatThrownBy(tailer::poll).isInstanceOf(ClosedException.class);
        writer.close();
        assertThatThrownBy(() -> writer.commit(1)).isInstanceOf(ClosedException.class);
    }

    @Test
    void waitStrategiesWaitForAnotherThreadsAppend() throws Exception {
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir.resolve("c")))) {
            for (WaitStrategy strategy : WaitStrategy.values()) {
                long seq = writer.lastSeq() + 1;
                for (IsolationLevel isolation : IsolationLevel.values()) {
                    try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromEnd().withWaitStrategy(strategy)
                            .withIsolation(isolation))) {
                        assertThat(tailer.poll(2_000_000)).as("times out empty").isNull();
                        Thread appender = new Thread(() -> {
                            writer.append(writer.lastSeq() + 1, RowKind.INSERT, key, 0, 8, row, 0, 16);
                            writer.commit(writer.lastCheckpointId() + 1);
                        });
                        // The writer is single-owner: hand it to the other thread and back via join.
                        appender.start();
                        appender.join();
                        ChangelogRecord record = tailer.poll(5_000_000_000L);
                        assertThat(record).isNotNull();
                        assertThat(record.seq()).isEqualTo(seq++);
                    }
                }
            }
        }
    }

    @Test
    void readerSeesTheWatermarkAndCheckpointAfterReopen() {
        ChangelogOptions options = TestRecords.smallOptions(dir.resolve("c"));
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            writer.append(1, RowKind.INSERT, key, 0, 8, row, 0, 16);
            writer.commit(7);
            writer.append(2, RowKind.INSERT, key, 0, 8, row, 0, 16);
            try (ChangelogReader reader = ChangelogReader.open(options)) {
                assertThat(reader.committedSeq()).isEqualTo(1);
                assertThat(reader.lastCheckpointId()).isEqualTo(7);
                writer.commit(8);
                assertThat(reader.committedSeq()).isEqualTo(2);
            }
        }
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            assertThat(writer.committedSeq()).isEqualTo(2);
            assertThat(writer.lastCheckpointId()).isEqualTo(8);
            assertThat(writer.recovery().checkpointId()).isEqualTo(8);
        }
    }
}
