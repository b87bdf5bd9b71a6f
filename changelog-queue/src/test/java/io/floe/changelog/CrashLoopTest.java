package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.floe.common.testing.ChildJvm;

/**
 * A child JVM appends and commits continuously and is killed with SIGKILL at a random time;
 * reopening must find every acknowledged commit, every record exactly once and in order, and
 * appends must continue. The first cycles also tail the dying writer from this JVM, read-committed.
 */
class CrashLoopTest {
    private static final int CYCLES = Integer.getInteger("floe.crash.cycles", 20);

    @TempDir
    Path dir;

    private static long queueFiles(Path changelog) throws IOException {
        try (Stream<Path> files = Files.list(changelog)) {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    @Test
    void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
        SplittableRandom random = Seeds.random("CrashLoopTest.everyAcknowledgedCommitSurvivesSigkill");
        Path changelog = dir.resolve("changelog");
        long verifiedThrough = 0;
        long ackedSeq = -1;
        long ackedCheckpoint = -1;
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        UnsafeBuffer row = new UnsafeBuffer(new byte[ChildMain.ROW]);
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            SyncMode sync = cycle % 3 == 2 ? SyncMode.FSYNC_ON_COMMIT : SyncMode.NONE;
            try (ChildJvm child = ChildJvm.start(ChildMain.class, ChildMain.JVM_OPTIONS, "append", changelog.toString(), sync.name(), Long.toString(random.nextLong()))) {
                child.await("READY", 60_000);
                long killAfterNanos = 50_000_000L + random.nextLong(400_000_000L);
                long start = System.nanoTime();
                if (cycle < 3) {
                    // Tail the live writer read-committed from this JVM until the kill.
                    try (ChangelogReader reader = ChangelogReader.open(TestRecords.smallOptions(changelog));
                         ChangelogTailer tailer = reader.newTailer(TailerOptions.fromStart()
                                 .withIsolation(IsolationLevel.READ_COMMITTED))) {
                        long expected = 1;
                        while (System.nanoTime() - start < killAfterNanos) {
                            ChangelogRecord record = tailer.poll(1_000_000);
                            if (record != null) {
                                assertThat(record.seq()).isEqualTo(expected++);
                                assertThat(ChildMain.check(record)).isNull();
                                assertThat(record.seq()).isLessThanOrEqualTo(reader.committedSeq());
                            }
                        }
                    }
                } else {
                    Thread.sleep(killAfterNanos / 1_000_000);
                }
                child.kill();
                for (String line : child.drainLines()) {
                    if (line.startsWith("COMMIT ")) {
                        String[] parts = line.split(" ");
                        ackedCheckpoint = Long.parseLong(parts[1]);
                        ackedSeq = Long.parseLong(parts[2]);
                    }
                }
            }
            try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(changelog))) {
                assertThat(writer.committedSeq()).as("cycle %d: acknowledged commit", cycle).isGreaterThanOrEqualTo(ackedSeq);
                assertThat(writer.lastCheckpointId()).isGreaterThanOrEqualTo(ackedCheckpoint);
                assertThat(writer.lastSeq()).isGreaterThanOrEqualTo(writer.committedSeq());
                assertThat(writer.recovery().voidedTorn()).isZero();
                long lastSeq = writer.lastSeq();
                // Every record exactly once, in order, with its content; from where the last cycle verified.
                try (ChangelogTailer all = writer.newTailer(TailerOptions.fromSeq(verifiedThrough + 1))) {
                    long expected = verifiedThrough + 1;
                    ChangelogRecord record;
                    while ((record = all.poll()) != null) {
                        assertThat(record.seq()).as("cycle %d", cycle).isEqualTo(expected++);
                        assertThat(ChildMain.check(record)).isNull();
                    }
                    assertThat(expected - 1).isEqualTo(lastSeq);
                }
                try (ChangelogTailer committed = writer.newTailer(TailerOptions.fromSeq(verifiedThrough + 1)
                        .withIsolation(IsolationLevel.READ_COMMITTED))) {
                    long last = verifiedThrough;
                    ChangelogRecord record;
                    while ((record = committed.poll()) != null) {
                        last = record.seq();
                    }
                    assertThat(last).isEqualTo(Math.max(verifiedThrough, writer.committedSeq()));
                }
                // Appends continue after recovery.
                for (int i = 0; i < 3; i++) {
                    long seq = writer.lastSeq() + 1;
                    ChildMain.fill(seq, key, row);
                    writer.append(seq, ChildMain.kindOf(seq), key, 0, 8, row, 0, ChildMain.ROW);
                }
                ackedCheckpoint = writer.lastCheckpointId() + 1;
                ackedSeq = writer.commit(ackedCheckpoint);
                verifiedThrough = lastSeq;
                System.out.println("cycle " + cycle + " (" + sync + "): last seq " + lastSeq + ", committed "
                        + writer.recovery().committedSeq() + ", recovery " + writer.recovery().durationNanos() / 1000 + " us, "
                        + queueFiles(changelog) + " queue files (a new file means the kill hit mid-excerpt)");
            }
        }
    }
}
