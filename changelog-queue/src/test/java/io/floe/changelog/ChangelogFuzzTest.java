package io.floe.changelog;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.floe.changelog.TestRecords.Rec;
import io.floe.common.RowKind;
import io.floe.common.error.CorruptionException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.MappedBytes;

/**
 * Fuzz targets for the changelog's readers.
 *
 * <ul>
 *   <li>{@link #recordDecoder}: input {@code u8 mode, excerpt...}; the excerpt is placed in mapped
 *       memory and decoded by {@link RecordDecoder}, with its CRC recomputed first when mode bit 0 is
 *       set (so mutations reach the fields behind it). The decoder must answer OK, VOID or DAMAGED
 *       and throw nothing; an OK record's key and row must fill the excerpt exactly.</li>
 *   <li>{@link #queueRecovery}: input {@code u8 mode, (u16 offset, u8 xor)*}; a real queue of
 *       {@value #RECORDS} records (committed up to a point the mode picks) gets the xors applied to
 *       its records' bytes (offsets modulo the bytes the records occupy), then a writer opens it
 *       (recovery, STRICT or SALVAGE, KEEP or ABORT uncommitted), a tailer reads everything, and one
 *       more record is appended and read. The only acceptable outcomes are a
 *       {@link CorruptionException} (STRICT) or reads in which every record returned is one that was
 *       written, byte for byte, with seqs increasing: damage is never read as a different record.
 *       Chronicle Queue's own headers are not mutated (their format is Chronicle's).</li>
 * </ul>
 *
 * Seeds and saved findings: {@code src/test/resources/io/floe/changelog/ChangelogFuzzTestInputs/<method>/}.
 * Fuzz one with {@code mvn -Pfuzz -pl changelog-queue test -Dtest='ChangelogFuzzTest#queueRecovery'}.
 */
class ChangelogFuzzTest {
    static final int RECORDS = 12;
    private static final int MAPPING = 1 << 20;

    private static MappedBytes mapped;
    private static Path root;
    private static Map<Integer, Template> templates = new HashMap<>();
    private static int runs;

    /** A queue written once per commit point: its files, and where its records' bytes lie. */
    private record Template(Path dir, List<Rec> recs, int committed, long[] recordOffsets, int[] recordLengths, String queueFile) {
    }

    @FuzzTest(maxDuration = "5m")
    void recordDecoder(byte[] data) {
        if (data.length < 1 || data.length - 1 > MAPPING / 2) {
            return;
        }
        byte[] excerpt = java.util.Arrays.copyOfRange(data, 1, data.length);
        if ((data[0] & 1) != 0 && excerpt.length >= ChangelogRecordLayout.HEADER_LENGTH) {
            CRC32C crc = new CRC32C();
            crc.update(excerpt, ChangelogRecordLayout.CRC_COVERED_FROM, excerpt.length - ChangelogRecordLayout.CRC_COVERED_FROM);
            int v = (int) crc.getValue();
            excerpt[0] = (byte) v;
            excerpt[1] = (byte) (v >>> 8);
            excerpt[2] = (byte) (v >>> 16);
            excerpt[3] = (byte) (v >>> 24);
        }
        MappedBytes bytes = mapped();
        int at = 64;
        bytes.write(at, excerpt);
        bytes.readLimit(at + excerpt.length);
        bytes.readPosition(at);
        ChangelogRecord record = new ChangelogRecord();
        int status = new RecordDecoder().decode(bytes, 7, record);
        if (status == RecordDecoder.OK) {
            if (ChangelogRecordLayout.HEADER_LENGTH + record.keyLength() + record.rowLength() != excerpt.length || record.queueIndex() != 7) {
                throw new AssertionError("decoded record " + record + " does not fill its excerpt of " + excerpt.length + " bytes");
            }
        } else if (status != RecordDecoder.VOID && status != RecordDecoder.DAMAGED) {
            throw new AssertionError("decoder status " + status);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void queueRecovery(byte[] data) throws IOException {
        if (data.length < 1) {
            return;
        }
        int mode = data[0] & 0xFF;
        Template template = template(mode % 3 == 0 ? 0 : mode % 3 == 1 ? RECORDS / 2 : RECORDS);
        Path dir = root.resolve("run-" + runs++);
        copy(template.dir, dir);
        int total = 0;
        for (int length : template.recordLengths) {
            total += length;
        }
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(dir.resolve(template.queueFile).toFile(), "rw")) {
            for (int i = 1; i + 2 < data.length; i += 3) {
                int offset = ((data[i] & 0xFF) | (data[i + 1] & 0xFF) << 8) % total;
                long at = fileOffset(template, offset);
                file.seek(at);
                int b = file.read();
                file.seek(at);
                file.write(b ^ (data[i + 2] & 0xFF));
            }
        }
        ChangelogOptions options = TestRecords.smallOptions(dir)
                .withRecoveryMode((mode & 4) != 0 ? RecoveryMode.SALVAGE : RecoveryMode.STRICT)
                .withUncommitted((mode & 8) != 0 ? UncommittedPolicy.ABORT : UncommittedPolicy.KEEP);
        try (ChangelogWriter writer = ChangelogWriter.open(options)) {
            List<Rec> read = readAll(writer);
            checkGenuine(read, template.recs);
            if (data.length < 4) {
                // nothing was damaged: every record is read (only the committed ones after an abort)
                List<Rec> expected = options.uncommitted() == UncommittedPolicy.ABORT ? template.recs.subList(0, template.committed) : template.recs;
                if (!read.equals(expected)) {
                    throw new AssertionError("an undamaged queue reads " + read + ", expected " + expected);
                }
            }
            long next = template.recs.get(RECORDS - 1).seq() + 1;
            Rec extra = new Rec(next, RowKind.DELETE, "extra".getBytes(), new byte[] {1, 2, 3});
            TestRecords.append(writer, new SplittableRandom(mode), extra);
            writer.commit(1000);
            List<Rec> after = readAll(writer);
            if (after.isEmpty() || !after.get(after.size() - 1).equals(extra)) {
                throw new AssertionError("the record appended after recovery is not the last one read: " + after);
            }
        } catch (CorruptionException expected) {
            if (options.recoveryMode() != RecoveryMode.STRICT) {
                throw new AssertionError("SALVAGE recovery failed: " + expected, expected);
            }
        } finally {
            delete(dir);
        }
    }

    private static List<Rec> readAll(ChangelogWriter writer) {
        try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart().withIsolation(IsolationLevel.READ_UNCOMMITTED))) {
            return TestRecords.drain(tailer);
        }
    }

    /** Throws unless every record read is one that was written, with seqs strictly increasing. */
    private static void checkGenuine(List<Rec> read, List<Rec> written) {
        long last = Long.MIN_VALUE;
        for (Rec r : read) {
            if (r.seq() <= last) {
                throw new AssertionError("seq " + r.seq() + " read after " + last + ": " + read);
            }
            last = r.seq();
            if (!written.contains(r)) {
                throw new AssertionError("read a record that was never written: " + r);
            }
        }
    }

    private static long fileOffset(Template t, int offset) {
        for (int i = 0; i < t.recordLengths.length; i++) {
            if (offset < t.recordLengths[i]) {
                return t.recordOffsets[i] + offset;
            }
            offset -= t.recordLengths[i];
        }
        throw new IllegalArgumentException("offset beyond the records");
    }

    private static synchronized Template template(int committed) throws IOException {
        Template t = templates.get(committed);
        if (t != null) {
            return t;
        }
        if (root == null) {
            root = Files.createTempDirectory("changelog-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
        }
        Path dir = root.resolve("template-" + committed);
        SplittableRandom random = new SplittableRandom(committed);
        List<Rec> recs = new ArrayList<>();
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir))) {
            for (int i = 0; i < RECORDS; i++) {
                byte[] row = String.format("MARK%04d", i).getBytes();
                byte[] rest = new byte[random.nextInt(24)];
                random.nextBytes(rest);
                Rec rec = new Rec(10 + 3L * i, RowKind.values()[i % 4], ("k" + i).getBytes(), concat(row, rest));
                TestRecords.append(writer, random, rec);
                recs.add(rec);
                if (i + 1 == committed) {
                    writer.commit(1);
                }
            }
        }
        String queueFile;
        try (Stream<Path> files = Files.list(dir)) {
            queueFile = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow().getFileName().toString();
        }
        byte[] bytes = Files.readAllBytes(dir.resolve(queueFile));
        long[] offsets = new long[RECORDS];
        int[] lengths = new int[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            int marker = indexOf(bytes, String.format("MARK%04d", i).getBytes());
            offsets[i] = marker - ChangelogRecordLayout.HEADER_LENGTH - recs.get(i).key().length;
            lengths[i] = ChangelogRecordLayout.recordLength(recs.get(i).key().length, recs.get(i).row().length);
        }
        t = new Template(dir, recs, committed, offsets, lengths, queueFile);
        templates.put(committed, t);
        return t;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] bytes, byte[] m) {
        outer:
        for (int p = 0; p + m.length <= bytes.length; p++) {
            for (int j = 0; j < m.length; j++) {
                if (bytes[p + j] != m[j]) {
                    continue outer;
                }
            }
            return p;
        }
        throw new AssertionError("marker not found");
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().equals(ChangelogWriter.LOCK_FILE)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized MappedBytes mapped() {
        if (mapped == null) {
            try {
                File f = Files.createTempFile("decoder-fuzz", ".bin").toFile();
                f.deleteOnExit();
                mapped = MappedBytes.mappedBytes(f, MAPPING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return mapped;
    }
}
