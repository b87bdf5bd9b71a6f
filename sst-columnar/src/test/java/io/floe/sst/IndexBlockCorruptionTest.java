package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.floe.common.error.CorruptionException;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.testing.HsErrCheck;
import io.floe.common.testing.Seeds;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages the index blocks of the reference file with every checksum recomputed
 * ({@link SstChecksumFixer}), so that the damage gets past the CRCs into the index parser
 * ({@link RowGroupIndex#read}, {@link ChunkIndex#read}) and the readers that trust the index; then
 * reads everything ({@link ReferenceFile#readEverything}: full iteration of all columns, point
 * lookups of every key, a predicate scan that consults page statistics).
 *
 * <p>Every damaged file either reads exactly as the original or fails with a
 * {@link CorruptionException} naming it, never anything else, with one documented exception: a
 * changed byte inside a statistic (a min or max value, not its length or flags; or a null count
 * still within the page's rows, so that a page may claim to be all null) leaves a well-formed index
 * that says something else about its pages. The reader trusts statistics whose
 * checksum matches (that is what they are for: skipping pages, finding a key's page), so such a
 * file may skip rows in a predicate scan or miss a key in a lookup; the test then still requires
 * the full iteration (which decodes every page and trusts no statistic) to read the original
 * entries, and counts and prints those cases.
 *
 * <p>Besides the sweep (every byte flipped; half of them, chosen by a printed seed, also set to
 * 0x00, 0xFF or one bit flipped), hand-written cases aim at single checks.
 */
class IndexBlockCorruptionTest {
    /** No JVM may crash on damaged bytes: a crash log in the module directory fails the class (see HsErrCheck). */
    @RegisterExtension
    static final HsErrCheck HS_ERR = new HsErrCheck();

    @TempDir
    Path dir;
    final OffHeapAllocator allocator = new OffHeapAllocator("index-corruption", Long.MAX_VALUE);
    Path reference;
    byte[] original;
    RowGroupInfo[] groups;

    @BeforeEach
    void writeReference() throws Exception {
        reference = dir.resolve("reference.sst");
        ReferenceFile.write(reference, allocator);
        original = Files.readAllBytes(reference);
        try (SstReader reader = SstReader.open(reference, allocator)) {
            groups = reader.footer.rowGroups();
        }
    }

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    @Test
    void everyIndexByteDamagedReadsCorrectlyOrFailsWithCorruption() throws Exception {
        SplittableRandom random = Seeds.random("IndexBlockCorruptionTest.sweep");
        List<Entry> entries = ReferenceFile.entries(allocator);
        String expected = ReferenceFile.readEverything(reference, entries, allocator);
        Path damaged = dir.resolve("damaged.sst");
        int[] outcomes = new int[3];
        List<String> trusted = new ArrayList<>();
        for (RowGroupInfo g : groups) {
            int start = (int) g.indexOffset();
            Field[] fields = fields(original, start, g.indexLength());
            for (int i = 0; i < g.indexLength(); i++) {
                int at = start + i;
                List<Integer> values = new ArrayList<>(List.of(original[at] ^ 0xFF));
                if (random.nextBoolean()) {
                    int[] others = {0x00, 0xFF, original[at] ^ (1 << random.nextInt(8))};
                    values.add(others[random.nextInt(others.length)]);
                }
                for (int value : values) {
                    if ((byte) value == original[at] && values.size() > 1) {
                        continue;
                    }
                    byte[] bytes = original.clone();
                    bytes[at] = (byte) value;
                    SstChecksumFixer.fix(bytes);
                    Files.write(damaged, bytes);
                    String what = "index byte " + i + " (" + fields[i] + ") of the group at " + start + " set to " + (value & 0xFF)
                            + " from " + (original[at] & 0xFF);
                    int outcome = check(damaged, entries, expected, fields[i], what);
                    outcomes[outcome]++;
                    if (outcome == TRUSTED) {
                        trusted.add(what);
                    }
                }
            }
        }
        System.out.println("[index sweep] " + groups.length + " index blocks: " + outcomes[CORRUPTION] + " damages detected, " + outcomes[IDENTICAL]
                + " read identically, " + outcomes[TRUSTED] + " changed statistics trusted:");
        trusted.forEach(t -> System.out.println("  " + t));
        assertThat(outcomes[CORRUPTION]).isPositive();
    }

    private static final int CORRUPTION = 0;
    private static final int IDENTICAL = 1;
    private static final int TRUSTED = 2;

    /**
     * Returns CORRUPTION iff the file fails with a corruption error naming it, IDENTICAL iff it reads
     * as {@code expected}, TRUSTED iff {@code field} is a statistic (bound or null count) and only what consults
     * statistics (lookups, the predicate scan) read otherwise; fails the test on anything else.
     */
    private int check(Path file, List<Entry> entries, String expected, Field field, String what) {
        String actual = ReferenceFile.readOrCorruption(file, entries, allocator, what);
        if (actual == null) {
            return CORRUPTION;
        }
        if (actual.equals(expected)) {
            return IDENTICAL;
        }
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        int iterated = entries.size();
        if ((field == Field.BOUND || field == Field.NULL_COUNT) && got.length > iterated && Arrays.equals(want, 0, iterated, got, 0, iterated)) {
            return TRUSTED;
        }
        int line = 0;
        while (line < Math.min(want.length, got.length) && want[line].equals(got[line])) {
            line++;
        }
        fail(what + ": read different results without an error, first at line " + line + ": "
                + (line < want.length ? want[line] : "(end)") + " -> " + (line < got.length ? got[line] : "(end)"));
        return -1;
    }

    /** What a byte of an index block holds. */
    enum Field { COUNTS, PAGE_ROWS, CHUNK_PLACE, PAGE_ENTRY, NULL_COUNT, FLAGS, BOUND_LENGTH, BOUND }

    /**
     * Returns what each byte of the index block at {@code file[at, at + length)} holds, walking
     * {@link SstLayout}'s "index" independently of the reader. Requires: an undamaged block.
     */
    static Field[] fields(byte[] file, int at, int length) {
        ByteBuffer b = ByteBuffer.wrap(file, at, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        Field[] out = new Field[length];
        int pages = b.getInt(0);
        int columns = b.getInt(4);
        int p = mark(out, 0, 8, Field.COUNTS);
        p = mark(out, p, 4 * pages, Field.PAGE_ROWS);
        for (int c = 0; c < columns; c++) {
            p = mark(out, p, 16, Field.CHUNK_PLACE);
            p = markStats(b, out, p);
            for (int q = 0; q < pages; q++) {
                p = mark(out, p, SstLayout.PAGE_ENTRY_FIXED_BYTES, Field.PAGE_ENTRY);
                p = markStats(b, out, p);
            }
        }
        assertThat(p).as("index block walk").isEqualTo(length);
        return out;
    }

    private static int markStats(ByteBuffer b, Field[] out, int p) {
        p = mark(out, p, 8, Field.NULL_COUNT);
        int flags = b.get(p);
        p = mark(out, p, 1, Field.FLAGS);
        for (int bit : new int[] {SstLayout.STATS_HAS_MIN, SstLayout.STATS_HAS_MAX}) {
            if ((flags & bit) != 0) {
                int n = b.getShort(p) & 0xFFFF;
                p = mark(out, p, 2, Field.BOUND_LENGTH);
                p = mark(out, p, n, Field.BOUND);
            }
        }
        return p;
    }

    private static int mark(Field[] out, int p, int n, Field f) {
        Arrays.fill(out, p, p + n, f);
        return p + n;
    }

    // Hand-written cases: each damage aimed at one check of the index parser, checksums fixed.

    /** Returns the offset within group 0's index block of column {@code column}'s page {@code page} entry (-1: the chunk's stats). */
    private int entry(int column, int page) {
        ByteBuffer b = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        int base = (int) groups[0].indexOffset();
        int pages = b.getInt(base);
        int p = 8 + 4 * pages;
        for (int c = 0; c <= column; c++) {
            p += 16;
            if (c == column && page < 0) {
                return p;
            }
            p = skipStats(b, base, p);
            for (int q = 0; q < pages; q++) {
                if (c == column && q == page) {
                    return p;
                }
                p = skipStats(b, base, p + SstLayout.PAGE_ENTRY_FIXED_BYTES);
            }
        }
        throw new IllegalArgumentException("no page " + page + " in column " + column);
    }

    private static int skipStats(ByteBuffer b, int base, int p) {
        int flags = b.get(base + p + 8);
        p += 9;
        for (int bit : new int[] {SstLayout.STATS_HAS_MIN, SstLayout.STATS_HAS_MAX}) {
            if ((flags & bit) != 0) {
                p += 2 + (b.getShort(base + p) & 0xFFFF);
            }
        }
        return p;
    }

    /** Applies {@code damage} to the bytes of group 0's index block (a buffer over it), fixes checksums, expects a corruption error. */
    private void openDamaged(String name, Consumer<ByteBuffer> damage, String message) throws Exception {
        byte[] bytes = original.clone();
        damage.accept(ByteBuffer.wrap(bytes, (int) groups[0].indexOffset(), groups[0].indexLength()).slice().order(ByteOrder.LITTLE_ENDIAN));
        SstChecksumFixer.fix(bytes);
        Path path = dir.resolve(name);
        Files.write(path, bytes);
        assertThatThrownBy(() -> SstReader.open(path, allocator).close()).isInstanceOf(CorruptionException.class)
                .hasMessageContaining(name + " at offset").hasMessageContaining(message);
    }

    @Test
    void boundLengthPastTheBlock() throws Exception {
        int e = entry(SstLayout.KEY_COLUMN, 0) + SstLayout.PAGE_ENTRY_FIXED_BYTES + 9;
        openDamaged("bound-length.sst", b -> b.putShort(e, (short) 0xFFFF), "needs 65535 more bytes");
    }

    @Test
    void unknownStatisticsFlags() throws Exception {
        int flags = entry(SstLayout.SEQ_COLUMN, 0) + SstLayout.PAGE_ENTRY_FIXED_BYTES + 8;
        openDamaged("flags.sst", b -> b.put(flags, (byte) (b.get(flags) | 4)), "unknown statistics flags 7");
        int chunkFlags = entry(SstLayout.SEQ_COLUMN, -1) + 8;
        openDamaged("chunk-flags.sst", b -> b.put(chunkFlags, (byte) 0x80), "unknown statistics flags 128");
    }

    @Test
    void keyPageWithoutItsLastKey() throws Exception {
        // Keep the block's length: drop the max flag and let the min take in the max's bytes (a longer first key).
        int e = entry(SstLayout.KEY_COLUMN, 1) + SstLayout.PAGE_ENTRY_FIXED_BYTES;
        openDamaged("no-max.sst", b -> {
            assertThat(b.get(e + 8)).isEqualTo((byte) (SstLayout.STATS_HAS_MIN | SstLayout.STATS_HAS_MAX));
            int minLength = b.getShort(e + 9) & 0xFFFF;
            int maxLength = b.getShort(e + 11 + minLength) & 0xFFFF;
            b.put(e + 8, (byte) SstLayout.STATS_HAS_MIN);
            b.putShort(e + 9, (short) (minLength + 2 + maxLength));
        }, "key statistics of a page lack its first or last key");
    }

    @Test
    void storedLengthsThatDoNotFillTheChunk() throws Exception {
        int e = entry(SstLayout.FIRST_VALUE_COLUMN, 0);
        openDamaged("stored.sst", b -> {
            b.putInt(e + 4, b.getInt(e + 4) - 1);
            b.putInt(e + 8, b.getInt(e + 8) - 1); // an uncompressed page's raw length must stay equal
        }, "pages of column " + SstLayout.FIRST_VALUE_COLUMN + " take");
    }

    @Test
    void pageCountBeyondTheBlocksRoomForEntries() throws Exception {
        // 40 pages pass the page-count cap (the group has 48 rows); 40 x 8 entries of 25 bytes cannot fit in the block.
        openDamaged("pages.sst", b -> b.putInt(0, 40), "pages of 8 columns need at least");
    }

    /**
     * A block claiming 2^20 pages of one row each: it holds their row counts and the first chunk's
     * place and statistics but no page entry, so it passes the page-count cap of 4 bytes per page. Before RowGroupIndex bounded the count by the
     * room for page entries, ChunkIndex.read allocated an int and a long per page (12 MiB here, 3x
     * the block; up to 1.5 GiB for a 512 MiB block) before it read an entry. Now it fails before any
     * per-page allocation.
     */
    @Test
    void hugePageCountFailsBeforeAllocatingPerPage() {
        int pages = 1 << 20;
        int columns = 8;
        // Counts, one row per page, then the first chunk's place and stats (no bounds): no page entry.
        ByteBuffer block = ByteBuffer.allocate(8 + 4 * pages + 16 + 9).order(ByteOrder.LITTLE_ENDIAN);
        block.putInt(pages).putInt(columns);
        for (int p = 0; p < pages; p++) {
            block.putInt(1);
        }
        block.putLong(16).putLong(1 << 20).putLong(0).put((byte) 0);
        BlockReader in = new BlockReader("huge.sst").wrap(new UnsafeBuffer(block.array()), 0, block.capacity(), 4096, "index block of row group 0");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
            RowGroupIndex.read(in, columns, pages, 16, 1L << 40);
        } catch (Throwable t) {
            thrown = t;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.println("[huge page count] " + allocated + " bytes allocated reading a block of " + block.capacity() + ": " + thrown);
        assertThat(thrown).isInstanceOf(CorruptionException.class).hasMessageContaining("huge.sst at offset 4104")
                .hasMessageContaining(pages + " pages of 8 columns need at least " + (long) pages * columns * SstLayout.PAGE_ENTRY_MIN_BYTES + " bytes");
        assertThat(allocated).as("bytes allocated reading the block").isLessThan(block.capacity() / 8);
    }
}
