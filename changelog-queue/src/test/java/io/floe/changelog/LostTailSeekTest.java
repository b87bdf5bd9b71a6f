package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.RowKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine crash that loses the records appended after the last synced commit while Chronicle's
 * index entries for them survive (they sit in an index array written before the sync): Chronicle
 * then counts excerpts it cannot move to. A seek by seq must treat them as the end of the log
 * (found by the fault-injection kill points, 2026-11-24: it threw IllegalStateException "queue
 * index ... is not in the queue" and the table could not be opened).
 */
class LostTailSeekTest {
    @TempDir
    Path dir;

    @Test
    void seeksStopAtRecordsLostAfterTheLastSync() throws IOException {
        ChangelogOptions options = ChangelogOptions.defaults(dir).withSyncMode(SyncMode.FSYNC_ON_COMMIT);
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        UnsafeBuffer row = new UnsafeBuffer(new byte[40]);
        long syncedEnd;
        Path file;
        try (ChangelogWriter w = ChangelogWriter.open(options)) {
            for (long seq = 1; seq <= 10; seq++) {
                key.putLong(0, seq);
                w.append(seq, RowKind.INSERT, key, 0, 8, row, 0, 40);
            }
            w.commit(1);
            file = queueFile();
            syncedEnd = dataEnd(file);
            for (long seq = 11; seq <= 20; seq++) {
                key.putLong(0, seq);
                w.append(seq, RowKind.INSERT, key, 0, 8, row, 0, 40);
            }
        }
        assertThat(dataEnd(file)).isGreaterThan(syncedEnd);
        zeroFrom(file, syncedEnd); // the crash: the unsynced records read as never written
        try (ChangelogWriter w = ChangelogWriter.open(options)) {
            assertThat(w.lastSeq()).isEqualTo(10);
            assertThat(w.committedSeq()).isEqualTo(10);
            try (ChangelogTailer t = w.newTailer(TailerOptions.fromSeq(5).withIsolation(IsolationLevel.READ_UNCOMMITTED))) {
                for (long seq = 5; seq <= 10; seq++) {
                    assertThat(t.poll().seq()).isEqualTo(seq);
                }
                assertThat(t.poll()).isNull();
            }
            try (ChangelogTailer t = w.newTailer(TailerOptions.fromSeq(15).withIsolation(IsolationLevel.READ_UNCOMMITTED))) {
                assertThat(t.poll()).isNull();
            }
            key.putLong(0, 21);
            w.append(21, RowKind.INSERT, key, 0, 8, row, 0, 40);
            w.commit(2);
            try (ChangelogTailer t = w.newTailer(TailerOptions.fromSeq(11))) {
                assertThat(t.poll().seq()).isEqualTo(21);
            }
        }
    }

    private Path queueFile() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.cq4")) {
            return s.iterator().next();
        }
    }

    /** Returns one past the last non-zero byte of {@code file}. */
    private static long dataEnd(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static void zeroFrom(Path file, long from) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = c.size();
            ByteBuffer zeros = ByteBuffer.allocate(1 << 16);
            for (long at = from; at < size; at += zeros.capacity()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                c.write(zeros, at);
            }
        }
    }
}
