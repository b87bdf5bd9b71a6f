package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.RowKind;
import io.floe.common.error.CorruptionException;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The footer's {@code keys} byte ({@link SstMetadata#keys()}) against a model: a file records
 * {@link SstMetadata.KeyMultiplicity#REPEATED} iff two of its entries have one key. Random files
 * without repeats, with one repeat placed at a page boundary, at a row group boundary, at the first
 * or last entry, anywhere, or many repeats; written through {@link SstWriter#add}, through
 * {@link SstWriter#addFrom} (from a source file that holds further entries, some of them repeats,
 * which are skipped), and through both mixed. Checked on the writer's metadata, the reader's and
 * {@link SstDump}.
 */
class KeyMultiplicityModelTest {
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").primaryKey("id").build();

    @TempDir
    Path dir;

    /** Where the target file's repeats go. */
    enum Plan { NONE, PAGE_BOUNDARY, ROW_GROUP_BOUNDARY, FIRST, LAST, ANYWHERE, MANY }

    /** How the target file's entries are added. */
    enum Via { ADD, ADD_FROM, MIXED }

    @Test
    void filesRecordExactlyWhetherAKeyRepeats() {
        SplittableRandom r = Seeds.random("KeyMultiplicityModelTest.filesRecordExactlyWhetherAKeyRepeats");
        int round = 0;
        for (Plan plan : Plan.values()) {
            for (Via how : Via.values()) {
                for (int i = 0; i < 6; i++, round++) {
                    try (OffHeapAllocator allocator = new OffHeapAllocator("multiplicity", Long.MAX_VALUE)) {
                        check(r, plan, how, round, allocator);
                        allocator.assertNoLeaks();
                    }
                }
            }
        }
    }

    private void check(SplittableRandom r, Plan plan, Via how, int round, OffHeapAllocator allocator) {
        // Pages close at exactly pageRows entries (the byte limit is far), row groups at the first
        // page boundary at or past rowGroupRows, a multiple of pageRows: boundaries are known.
        int pageRows = 16 + r.nextInt(48);
        int groupRows = pageRows * (1 + r.nextInt(3));
        SstOptions options = SstOptions.defaults().withPage(1 << 20, pageRows).withRowGroup(groupRows, 1 << 30)
                .withBloomBitsPerKey(r.nextInt(3) == 0 ? 0 : 8);
        boolean boundary = plan == Plan.PAGE_BOUNDARY || plan == Plan.ROW_GROUP_BOUNDARY;
        int n = boundary ? groupRows + 1 + r.nextInt(3 * groupRows) : plan == Plan.NONE && r.nextInt(8) == 0 ? 1 : 2 + r.nextInt(4 * groupRows);
        boolean[] repeat = new boolean[n]; // repeat[i]: entry i has the key of entry i - 1
        switch (plan) {
            case NONE -> { }
            case PAGE_BOUNDARY -> repeat[pageRows * (1 + r.nextInt((n - 1) / pageRows))] = true;
            case ROW_GROUP_BOUNDARY -> repeat[groupRows * (1 + r.nextInt((n - 1) / groupRows))] = true;
            case FIRST -> repeat[1] = true;
            case LAST -> repeat[n - 1] = true;
            case ANYWHERE -> repeat[1 + r.nextInt(n - 1)] = true;
            case MANY -> {
                for (int i = 1; i < n; i++) {
                    repeat[i] = r.nextInt(3) == 0;
                }
            }
        }
        boolean expectRepeat = false;
        for (boolean b : repeat) {
            expectRepeat |= b;
        }
        // The target's entries: key ids 2, 4, 6, ...; seqs descending. The source (for addFrom) holds
        // them and, between them, entries of odd key ids (one to three versions) that are not copied.
        List<long[]> target = new ArrayList<>(); // {id, seq, kind, v (or Long.MIN_VALUE for null)}
        List<long[]> source = new ArrayList<>();
        List<Boolean> copied = new ArrayList<>();
        long id = 2;
        long seq = 10_000_000;
        for (int i = 0; i < n; i++) {
            if (i > 0 && !repeat[i]) {
                if (r.nextInt(4) == 0) {
                    int versions = 1 + r.nextInt(3);
                    for (int v = 0; v < versions; v++) {
                        source.add(entry(r, id + 1, seq--));
                        copied.add(false);
                    }
                }
                id += 2;
            }
            long[] e = entry(r, id, seq--);
            target.add(e);
            source.add(e);
            copied.add(true);
        }
        String what = "round " + round + ", " + plan + " via " + how + ", " + n + " entries, pages of " + pageRows + ", groups of " + groupRows;
        Path sourcePath = dir.resolve("source-" + round + ".sst");
        Path targetPath = dir.resolve("target-" + round + ".sst");
        SstMetadata written;
        try (RowWriter row = new RowWriter(SCHEMA, allocator)) {
            write(sourcePath, source, options, row, allocator);
            try (SstReader src = SstReader.open(sourcePath, allocator);
                 EntryIterator it = src.newIterator();
                 SstWriter w = SstWriter.open(targetPath, SCHEMA, options, allocator)) {
                it.seekToFirst();
                for (int i = 0; i < source.size(); i++, it.next()) {
                    assertThat(it.valid()).isTrue();
                    if (!copied.get(i)) {
                        continue;
                    }
                    long[] e = source.get(i);
                    boolean viaCopy = how == Via.ADD_FROM || how == Via.MIXED && r.nextBoolean();
                    if (viaCopy) {
                        w.addFrom(it, e[1], RowKind.fromValue((byte) e[2]));
                    } else {
                        add(w, e, row);
                    }
                }
                written = w.finish();
            }
        }
        SstMetadata.KeyMultiplicity expected = expectRepeat ? SstMetadata.KeyMultiplicity.REPEATED : SstMetadata.KeyMultiplicity.UNIQUE;
        assertThat(written.keys()).as(what).isEqualTo(expected);
        try (SstReader reader = SstReader.open(targetPath, allocator)) {
            assertThat(reader.version()).isEqualTo(SstLayout.VERSION);
            assertThat(reader.metadata().keys()).as(what).isEqualTo(expected);
            assertThat(reader.metadata().rowCount()).isEqualTo(n);
            assertThat(SstDump.describe(reader)).as(what).contains("], key multiplicity " + expected + "\n");
            // The planned boundaries are real: the first page holds pageRows entries, the first group groupRows.
            if (n > groupRows) {
                assertThat(reader.indexes[0].pageRows[0]).as(what).isEqualTo(pageRows);
                assertThat(reader.footer.rowGroups()[0].rowCount()).as(what).isEqualTo(groupRows);
            }
        }
        try (SstReader src = SstReader.open(sourcePath, allocator)) {
            boolean sourceRepeats = expectRepeat || source.size() > target.size() && hasRepeat(source);
            assertThat(src.metadata().keys()).as(what + ", source")
                    .isEqualTo(sourceRepeats ? SstMetadata.KeyMultiplicity.REPEATED : SstMetadata.KeyMultiplicity.UNIQUE);
        }
    }

    /** The keys byte is checked like every footer field: another value is corruption naming the file and the byte's offset. */
    @Test
    void aKeysByteOfAnotherValueIsCorruption() throws IOException {
        try (OffHeapAllocator allocator = new OffHeapAllocator("keys-byte", Long.MAX_VALUE)) {
            Path source = dir.resolve("reference.sst");
            ReferenceFile.write(source, allocator);
            byte[] clean = Files.readAllBytes(source);
            int at = clean.length - SstLayout.TRAILER_BYTES - 1;
            assertThat(clean[at]).isEqualTo((byte) SstLayout.KEYS_REPEATED);
            for (int value : new int[] {0, 3, 0x80, 0xFF}) {
                byte[] bytes = clean.clone();
                bytes[at] = (byte) value;
                SstChecksumFixer.fix(bytes);
                Path path = dir.resolve("keys-" + value + ".sst");
                Files.write(path, bytes);
                assertThatThrownBy(() -> SstReader.open(path, allocator).close()).isInstanceOf(CorruptionException.class)
                        .hasMessageContaining("keys-" + value + ".sst at offset " + at).hasMessageContaining("keys " + value + " is neither");
            }
            allocator.assertNoLeaks();
        }
    }

    /** "Unique" in a file of two or more entries with one key contradicts its key range: corruption. */
    @Test
    void uniqueKeysInAFileOfOneKeyTwiceIsCorruption() throws IOException {
        try (OffHeapAllocator allocator = new OffHeapAllocator("keys-one", Long.MAX_VALUE)) {
            Path source = dir.resolve("one-key.sst");
            try (RowWriter row = new RowWriter(SCHEMA, allocator)) {
                write(source, List.of(new long[] {7, 20, 0, 1}, new long[] {7, 10, 0, 2}), SstOptions.defaults(), row, allocator);
            }
            byte[] bytes = Files.readAllBytes(source);
            int at = bytes.length - SstLayout.TRAILER_BYTES - 1;
            assertThat(bytes[at]).isEqualTo((byte) SstLayout.KEYS_REPEATED);
            bytes[at] = SstLayout.KEYS_UNIQUE;
            SstChecksumFixer.fix(bytes);
            Path path = dir.resolve("one-key-unique.sst");
            Files.write(path, bytes);
            assertThatThrownBy(() -> SstReader.open(path, allocator).close()).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("one-key-unique.sst at offset " + at).hasMessageContaining("keys say unique, but 2 entries have one key");
            allocator.assertNoLeaks();
        }
    }

    private static boolean hasRepeat(List<long[]> entries) {
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i)[0] == entries.get(i - 1)[0]) {
                return true;
            }
        }
        return false;
    }

    private static long[] entry(SplittableRandom r, long id, long seq) {
        return new long[] {id, seq, r.nextInt(4), r.nextInt(5) == 0 ? Long.MIN_VALUE : r.nextLong()};
    }

    private static void write(Path path, List<long[]> entries, SstOptions options, RowWriter row, OffHeapAllocator allocator) {
        try (SstWriter w = SstWriter.open(path, SCHEMA, options, allocator)) {
            for (long[] e : entries) {
                add(w, e, row);
            }
            w.finish();
        }
    }

    private static void add(SstWriter w, long[] e, RowWriter row) {
        row.reset();
        row.setLong(0, e[0]);
        if (e[3] != Long.MIN_VALUE) {
            row.setLong(1, e[3]);
        }
        int len = row.complete();
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        key.putLong(0, e[0] ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
        w.add(key, 0, 8, e[1], RowKind.fromValue((byte) e[2]), row.buffer(), 0, len);
    }
}
