package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's page index read in place ({@link ChunkIndex}) against the model of one object per page: for
 * random files (random schemas, options with small pages and row groups, random entries), every row
 * group's index block is parsed again into {@link PageIndex} records ({@link PageIndex#read}, one
 * per page, as the reader did before), and every page's place, lengths, checksum, codec, encoding and
 * statistics must agree, and the bound comparisons the key index serves must agree with comparing
 * the model's arrays, for probe keys that hit, fall between and share prefixes with the bounds.
 */
class ChunkIndexModelTest {
    @TempDir
    Path dir;

    @Test
    void flatPageEntriesMatchOneObjectPerPage() {
        SplittableRandom r = Seeds.random("ChunkIndexModelTest.flatPageEntries");
        for (int round = 0; round < 8; round++) {
            OffHeapAllocator allocator = new OffHeapAllocator("chunk-index", Long.MAX_VALUE);
            Schema schema = TestData.randomSchema(r);
            SstOptions options = TestData.randomOptions(r, schema);
            List<Entry> entries = TestData.randomEntries(r, schema, 1 + r.nextInt(1500), allocator);
            Path path = dir.resolve("round-" + round + ".sst");
            TestData.write(path, schema, options, entries, allocator);
            try (SstReader reader = SstReader.open(path, allocator);
                 Region buffer = new Region(allocator, MemoryPurpose.SST_READ)) {
                for (int g = 0; g < reader.rowGroupCount(); g++) {
                    String context = "round " + round + " group " + g + " schema " + schema + " options " + options;
                    checkGroup(r, reader, g, buffer, context);
                }
            }
            allocator.assertNoLeaks();
        }
    }

    private static void checkGroup(SplittableRandom r, SstReader reader, int g, Region buffer, String context) {
        RowGroupInfo info = reader.footer.rowGroups()[g];
        RowGroupIndex index = reader.indexes[g];
        UnsafeBuffer bytes = reader.file.read(info.indexOffset(), info.indexLength(), buffer, "index block");
        BlockReader in = new BlockReader(reader.file.name()).wrap(bytes, 0, info.indexLength(), info.indexOffset(), "index block");
        int pages = in.u32("page count", 1, Integer.MAX_VALUE);
        int columns = in.u32("column count", 0, Integer.MAX_VALUE);
        assertThat(pages).as(context).isEqualTo(index.pageCount());
        int[] rows = new int[pages];
        for (int p = 0; p < pages; p++) {
            rows[p] = in.u32("page rows", 1, Integer.MAX_VALUE);
        }
        assertThat(rows).as(context).isEqualTo(index.pageRows);
        for (int c = 0; c < columns; c++) {
            ChunkIndex chunk = index.chunks[c];
            long offset = in.i64();
            long length = in.i64();
            assertThat(chunk.offset()).as(context).isEqualTo(offset);
            assertThat(chunk.length()).as(context).isEqualTo(length);
            assertThat(chunk.stats()).as(context).isEqualTo(ColumnStats.read(in, info.rowCount()));
            long at = offset;
            for (int p = 0; p < pages; p++) {
                String where = context + " column " + c + " page " + p;
                PageIndex model = PageIndex.read(in, rows[p], length);
                assertThat(chunk.pageOffset(p)).as(where).isEqualTo(at);
                assertThat(chunk.storedLength(p)).as(where).isEqualTo(model.storedLength());
                assertThat(chunk.rawLength(p)).as(where).isEqualTo(model.rawLength());
                assertThat(chunk.crc(p)).as(where).isEqualTo(model.crc());
                assertThat(chunk.codec(p)).as(where).isEqualTo(model.codec());
                assertThat(chunk.encoding(p)).as(where).isEqualTo(model.encoding());
                assertThat(chunk.stats(p)).as(where).isEqualTo(model.stats());
                assertThat(chunk.page(p)).as(where).isEqualTo(model);
                if (model.stats().min() != null && model.stats().max() != null) {
                    checkBounds(r, chunk, p, model.stats(), where);
                }
                at += model.storedLength();
            }
        }
        in.expectEnd();
    }

    /** The comparisons with page {@code p}'s bounds agree with comparing the model's arrays. */
    private static void checkBounds(SplittableRandom r, ChunkIndex chunk, int p, ColumnStats model, String where) {
        for (int q = 0; q < 8; q++) {
            byte[] probe = probe(r, r.nextBoolean() ? model.min() : model.max());
            UnsafeBuffer view = new UnsafeBuffer(probe);
            assertThat(Integer.signum(chunk.compareWithMin(p, view, 0, probe.length))).as(where)
                    .isEqualTo(Integer.signum(ByteComparisons.compare(probe, model.min())));
            assertThat(Integer.signum(chunk.compareWithMax(p, view, 0, probe.length))).as(where)
                    .isEqualTo(Integer.signum(ByteComparisons.compare(probe, model.max())));
            assertThat(Integer.signum(chunk.compareMin(p, probe))).as(where).isEqualTo(Integer.signum(ByteComparisons.compare(model.min(), probe)));
            assertThat(Integer.signum(chunk.compareMax(p, probe))).as(where).isEqualTo(Integer.signum(ByteComparisons.compare(model.max(), probe)));
        }
    }

    /** Returns {@code bound} itself, a prefix of it, it extended, or it with one byte changed. */
    private static byte[] probe(SplittableRandom r, byte[] bound) {
        return switch (r.nextInt(4)) {
            case 0 -> bound.clone();
            case 1 -> java.util.Arrays.copyOf(bound, r.nextInt(bound.length + 1));
            case 2 -> java.util.Arrays.copyOf(bound, bound.length + 1 + r.nextInt(3));
            default -> {
                byte[] out = bound.length == 0 ? new byte[1] : bound.clone();
                out[r.nextInt(out.length)] += (byte) (r.nextBoolean() ? 1 : -1);
                yield out;
            }
        };
    }
}
