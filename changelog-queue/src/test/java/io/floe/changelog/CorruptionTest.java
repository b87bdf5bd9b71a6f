package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.changelog.TestRecords.Rec;
import io.floe.common.RowKind;
import io.floe.common.error.CorruptionException;
import io.floe.common.testing.HsErrCheck;
import io.floe.common.testing.Seeds;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Damaged queue files: flipped bytes in the middle, torn tails, salvage. */
class CorruptionTest {
    /** No JVM may crash on damaged bytes: a crash log in the module directory fails the class (see HsErrCheck). */
    @RegisterExtension
    static final HsErrCheck HS_ERR = new HsErrCheck();

    @TempDir
    Path dir;

    /** Appends {@code n} records whose rows hold a findable marker; commits the first {@code committed}. */
    private List<Rec> write(ChangelogOptions options, int n, int committed) {
        List<Rec> recs = new ArrayList<>();
        SplittableRandom random = Seeds.random("CorruptionTest");
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            for (int i = 0; i < n; i++) {
                byte[] row = marker(i);
                Rec rec = new Rec(i + 1, RowKind.INSERT, ("key-" + i).getBytes(), row);
                TestRecords.append(writer, random, rec);
                recs.add(rec);
                if (i + 1 == committed) {
                    writer.commit(1);
                }
            }
        }
        return recs;
    }

    private static byte[] marker(int i) {
        return String.format("MARK%06d-payload-payload-payload", i).getBytes();
    }

    private Path queueFile(Path changelog) throws IOException {
        try (Stream<Path> files = Files.list(changelog)) {
            return files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    /** Returns the file offset of record {@code i}'s payload start (its CRC field). */
    private static long recordOffset(Path file, int i) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] m = marker(i);
        outer:
        for (int p = 0; p + m.length <= bytes.length; p++) {
            for (int j = 0; j < m.length; j++) {
                if (bytes[p + j] != m[j]) {
                    continue outer;
                }
            }
            return p - ChangelogRecordLayout.HEADER_LENGTH - ("key-" + i).length();
        }
        throw new AssertionError("marker " + i + " not found");
    }

    private static void flip(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x5A);
        }
    }

    @Test
    void flippedByteInCommittedRecordIsACorruptionNamingFileAndOffset() throws IOException {
        Path changelog = dir.resolve("c");
        ChangelogOptions options = TestRecords.smallOptions(changelog);
        write(options, 50, 50);
        Path file = queueFile(changelog);
        long offset = recordOffset(file, 20);
        flip(file, offset + ChangelogRecordLayout.HEADER_LENGTH + 12);
        try (ChangelogWriter writer = ChangelogWriter.open(options);
             ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart())) {
            for (int i = 0; i < 20; i++) {
                assertThat(tailer.poll().seq()).isEqualTo(i + 1);
            }
            assertThatThrownBy(tailer::poll).isInstanceOfSatisfying(CorruptionException.class, e -> {
                assertThat(e.file()).isEqualTo(file.toString());
                assertThat(e.offset()).isEqualTo(offset);
                assertThat(e.getMessage()).contains("checksum");
            });
            // The tailer stays before the damage.
            assertThatThrownBy(tailer::poll).isInstanceOf(CorruptionException.class);
            // A seek that probes the damaged record also reports it.
            assertThatThrownBy(() -> writer.newTailer(TailerOptions.fromSeq(21)).close())
                    .isInstanceOf(CorruptionException.class);
        }
    }

    @Test
    void damagedCommittedRecordAtTheWatermarkFailsOpenInStrictMode() throws IOException {
        Path changelog = dir.resolve("c");
        ChangelogOptions options = TestRecords.smallOptions(changelog);
        write(options, 30, 30);
        Path file = queueFile(changelog);
        long offset = recordOffset(file, 29);
        flip(file, offset + 9);
        assertThatThrownBy(() -> ChangelogWriter.open(options).close())
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.file()).isEqualTo(file.toString());
                    assertThat(e.offset()).isEqualTo(offset);
                });
    }

    @Test
    void salvageSkipsAndCountsDamagedRecords() throws IOException {
        Path changelog = dir.resolve("c");
        ChangelogOptions options = TestRecords.smallOptions(changelog).withRecoveryMode(RecoveryMode.SALVAGE);
        List<Rec> recs = write(options, 40, 40);
        Path file = queueFile(changelog);
        flip(file, recordOffset(file, 10) + 30);
        flip(file, recordOffset(file, 39) + 30);
        try (ChangelogWriter writer = ChangelogWriter.open(options);
             ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart())) {
            assertThat(writer.recovery().skippedCorrupt()).isEqualTo(1);
            assertThat(writer.lastSeq()).isEqualTo(40);
            List<Rec> expected = new ArrayList<>(recs);
            expected.remove(39);
            expected.remove(10);
            assertThat(TestRecords.drain(tailer)).isEqualTo(expected);
            assertThat(tailer.skippedCorrupt()).isEqualTo(2);
        }
    }

    @Test
    void tornUncommittedTailIsCutAndAppendsContinue() throws IOException {
        Path changelog = dir.resolve("c");
        ChangelogOptions options = TestRecords.smallOptions(changelog);
        List<Rec> recs = write(options, 30, 20);
        Path file = queueFile(changelog);
        // A machine crash kept the excerpt headers but lost the payloads of records 25 onwards: zero them.
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 25; i < 30; i++) {
                raf.seek(recordOffset(file, i));
                raf.write(new byte[ChangelogRecordLayout.HEADER_LENGTH + ("key-" + i).length() + marker(i).length]);
            }
        }
        SplittableRandom random = Seeds.random("CorruptionTest.torn");
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            RecoveryReport report = writer.recovery();
            assertThat(report.lastSeq()).isEqualTo(25);
            assertThat(report.committedSeq()).isEqualTo(20);
            // Record 25 (seq 26) is the first torn one; it and every excerpt after it are cut.
            assertThat(report.voidedTorn()).isEqualTo(5);
            Rec next = new Rec(26, RowKind.DELETE, "k".getBytes(), "after-recovery".getBytes());
            TestRecords.append(writer, random, next);
            try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart())) {
                List<Rec> expected = new ArrayList<>(recs.subList(0, 25));
                expected.add(next);
                assertThat(TestRecords.drain(tailer)).isEqualTo(expected);
            }
            try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromSeq(26))) {
                assertThat(TestRecords.drain(tailer)).containsExactly(next);
            }
        }
        // Reopening again finds the voided records valid and skips them.
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            assertThat(writer.lastSeq()).isEqualTo(26);
            assertThat(writer.recovery().voidedTorn()).isZero();
        }
    }

    @Test
    void truncatedFileTailIsRecovered() throws IOException {
        Path changelog = dir.resolve("c");
        ChangelogOptions options = TestRecords.smallOptions(changelog);
        List<Rec> recs = write(options, 30, 10);
        Path file = queueFile(changelog);
        long cut = recordOffset(file, 27) + 10;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(cut);
        }
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            assertThat(writer.lastSeq()).isEqualTo(27);
            assertThat(writer.committedSeq()).isEqualTo(10);
            TestRecords.append(writer, Seeds.random("CorruptionTest.cut"), new Rec(28, RowKind.INSERT, new byte[1], new byte[2]));
            try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart())) {
                List<Rec> got = TestRecords.drain(tailer);
                assertThat(got.subList(0, 27)).isEqualTo(recs.subList(0, 27));
                assertThat(got).hasSize(28);
                assertThat(got.get(27).seq()).isEqualTo(28);
            }
        }
    }
}
