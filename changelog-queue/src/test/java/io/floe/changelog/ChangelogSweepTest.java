package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.floe.changelog.TestRecords.Rec;
import io.floe.common.RowKind;
import io.floe.common.error.CorruptionException;
import io.floe.common.testing.HsErrCheck;
import io.floe.common.testing.Seeds;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The changelog's corruption sweep: every byte of every record (Floe's record header, key and row;
 * Chronicle's own excerpt headers and metadata are not swept) of a committed reference changelog is
 * flipped in a fresh copy, which is then read from the start, in STRICT and in SALVAGE mode. STRICT
 * must return every record before the damaged one unchanged and then a {@link CorruptionException}
 * naming the file and the record's offset; SALVAGE must return every other record unchanged and
 * count one skipped. No case may return a wrong record.
 */
class ChangelogSweepTest {
    private static final int RECORDS = 6;

    /** No JVM may crash on damaged bytes: a crash log in the module directory fails the class. */
    @RegisterExtension
    static final HsErrCheck HS_ERR = new HsErrCheck();

    @TempDir
    Path dir;

    private static Path queueFile(Path changelog) throws IOException {
        try (Stream<Path> files = Files.list(changelog)) {
            return files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    /** Returns the offset of the first occurrence of {@code needle} in {@code haystack}. */
    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int p = 0; p + needle.length <= haystack.length; p++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[p + j] != needle[j]) {
                    continue outer;
                }
            }
            return p;
        }
        throw new AssertionError("not found");
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Writes and commits the reference changelog in {@code dir}: {@value #RECORDS} records of varied kinds and sizes. */
    private static List<Rec> writeReference(Path dir, String seedName) {
        SplittableRandom random = Seeds.random(seedName);
        List<Rec> recs = new ArrayList<>();
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir))) {
            for (int i = 0; i < RECORDS; i++) {
                Rec rec = new Rec(i + 1, i % 3 == 0 ? RowKind.DELETE : RowKind.INSERT, ("key-" + i).getBytes(),
                        String.format("ROW%03d-%s", i, "x".repeat(i * 3)).getBytes());
                TestRecords.append(writer, random, rec);
                recs.add(rec);
            }
            writer.commit(1);
        }
        return recs;
    }

    @Test
    void everyFlippedRecordByteIsDetectedInStrictAndSkippedInSalvage() throws IOException {
        Path reference = dir.resolve("reference");
        List<Rec> recs = writeReference(reference, "ChangelogSweepTest");
        byte[] image = Files.readAllBytes(queueFile(reference));
        long cases = 0;
        for (int r = 0; r < RECORDS; r++) {
            Rec rec = recs.get(r);
            int start = indexOf(image, rec.row()) - rec.key().length - ChangelogRecordLayout.HEADER_LENGTH;
            int end = start + ChangelogRecordLayout.HEADER_LENGTH + rec.key().length + rec.row().length;
            for (int at = start; at < end; at++) {
                Path copy = dir.resolve("case-" + r + "-" + at);
                copyDir(reference, copy);
                Path file = queueFile(copy);
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                    raf.seek(at);
                    raf.write(image[at] ^ 0x41);
                }
                checkStrict(copy, file, recs, r, start, at);
                checkSalvage(copy, recs, r, at);
                deleteDir(copy);
                cases++;
            }
        }
        assertThat(cases).isGreaterThan(RECORDS * ChangelogRecordLayout.HEADER_LENGTH);
    }

    /**
     * Cuts the queue file of a committed reference changelog at every offset from its first record
     * to the end of its last: a reader must return a prefix of the records and then either stop or
     * throw a typed Floe error; it must never return a wrong record or fail untyped.
     */
    @Test
    void everyTruncationReadsAPrefixOrFailsTyped() throws IOException {
        Path reference = dir.resolve("reference");
        List<Rec> recs = writeReference(reference, "ChangelogSweepTest.truncation");
        byte[] image = Files.readAllBytes(queueFile(reference));
        int first = indexOf(image, recs.get(0).row()) - recs.get(0).key().length - ChangelogRecordLayout.HEADER_LENGTH;
        Rec lastRec = recs.get(RECORDS - 1);
        int last = indexOf(image, lastRec.row()) + lastRec.row().length;
        for (int cut = first - 8; cut <= last; cut++) {
            Path copy = dir.resolve("cut-" + cut);
            copyDir(reference, copy);
            try (RandomAccessFile raf = new RandomAccessFile(queueFile(copy).toFile(), "rw")) {
                raf.setLength(cut);
            }
            List<Rec> read = new ArrayList<>();
            try (ChangelogReader reader = ChangelogReader.open(TestRecords.smallOptions(copy));
                 ChangelogTailer tailer = reader.newTailer(TailerOptions.fromStart())) {
                for (ChangelogRecord record = tailer.poll(); record != null; record = tailer.poll()) {
                    read.add(TestRecords.copy(record));
                }
            } catch (io.floe.common.error.FloeException e) {
                // A typed error (a cut committed record is CorruptionException in STRICT): what was read before it is checked below.
            }
            assertThat(read).as("cut at %d", cut).isEqualTo(recs.subList(0, read.size()));
            deleteDir(copy);
        }
    }

    private static void checkStrict(Path copy, Path file, List<Rec> recs, int damaged, int recordOffset, int at) {
        List<Rec> read = new ArrayList<>();
        try (ChangelogReader reader = ChangelogReader.open(TestRecords.smallOptions(copy));
             ChangelogTailer tailer = reader.newTailer(TailerOptions.fromStart())) {
            for (ChangelogRecord record = tailer.poll(); record != null; record = tailer.poll()) {
                read.add(TestRecords.copy(record));
            }
            fail("byte " + at + " of record " + damaged + " flipped: read " + read.size() + " records and no error");
        } catch (CorruptionException e) {
            assertThat(read).as("records before the damaged one, byte %d", at).isEqualTo(recs.subList(0, damaged));
            assertThat(e.file()).isEqualTo(file.toString());
            assertThat(e.offset()).as("byte %d", at).isEqualTo(recordOffset);
        }
    }

    private static void checkSalvage(Path copy, List<Rec> recs, int damaged, int at) {
        List<Rec> expected = new ArrayList<>(recs);
        expected.remove(damaged);
        try (ChangelogReader reader = ChangelogReader.open(TestRecords.smallOptions(copy).withRecoveryMode(RecoveryMode.SALVAGE));
             ChangelogTailer tailer = reader.newTailer(TailerOptions.fromStart())) {
            assertThat(TestRecords.drain(tailer)).as("byte %d of record %d flipped, SALVAGE", at, damaged).isEqualTo(expected);
            assertThat(tailer.skippedCorrupt()).isEqualTo(1);
        }
    }

    private static void deleteDir(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(d);
    }
}
