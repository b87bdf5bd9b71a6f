package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.RowKind;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which pages a writer stores compressed: a page that compression shrinks by at least an eighth is
 * stored with the column's codec; one it does not (random bytes, which LZ4 and Zstd cannot shrink) is stored as it is, and so are
 * the column's next {@link RowGroupWriter#COMPRESSION_RETRY_PAGES} pages, without an attempt; then
 * the codec is tried again. Either way every entry reads back.
 */
class PageCompressionChoiceTest {
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("text", "STRING").column("noise", "BYTES").column("mixed", "BYTES")
            .primaryKey("id").build();

    @TempDir
    Path dir;
    final OffHeapAllocator allocator = new OffHeapAllocator("compression-choice", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    @ParameterizedTest
    @EnumSource(value = Codec.class, names = {"LZ4", "ZSTD"})
    void compressibleColumnsAreCompressedAndRandomOnesAreStoredAsTheyAre(Codec codec) {
        SplittableRandom r = Seeds.random("PageCompressionChoiceTest." + codec);
        List<Entry> entries = new ArrayList<>();
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        for (long id = 0; id < 3_000; id++) {
            byte[] noise = new byte[40];
            r.nextBytes(noise);
            // Random on the first page, then the same bytes on every row.
            byte[] mixed = id < 64 ? noise.clone() : new byte[40];
            key.putLong(0, id ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
            String text = "the same words again and again, row " + (id % 7);
            entries.add(new Entry(key.byteArray().clone(), 10, RowKind.INSERT, new Object[] {id, text, noise, mixed}));
        }
        Path path = dir.resolve("choice-" + codec + ".sst");
        // Pages of 64 rows: 47 pages per column.
        TestData.write(path, SCHEMA, SstOptions.defaults().withPage(1 << 20, 64).withCodec(codec), entries, allocator);
        try (SstReader reader = SstReader.open(path, allocator)) {
            List<Codec> text = pageCodecs(reader, "text");
            List<Codec> noise = pageCodecs(reader, "noise");
            assertThat(text).hasSize(47).containsOnly(codec);
            assertThat(noise).hasSize(47).containsOnly(Codec.NONE);
            List<Codec> mixed = pageCodecs(reader, "mixed");
            int retry = RowGroupWriter.COMPRESSION_RETRY_PAGES;
            assertThat(mixed.subList(0, 1 + retry)).as("the random page and the pages that skip the attempt").containsOnly(Codec.NONE);
            assertThat(mixed.subList(1 + retry, 47)).as("pages after the pause").containsOnly(codec);
            assertThat(SstModelTest.readAll(reader)).isEqualTo(entries);
        }
    }

    /** The codec of each page of column {@code name}, over all row groups. */
    private static List<Codec> pageCodecs(SstReader reader, String name) {
        List<Codec> codecs = new ArrayList<>();
        for (RowGroupIndex index : reader.indexes) {
            for (int c = 0; c < reader.columns.length; c++) {
                if (reader.columns[c].name().equals(name)) {
                    for (PageIndex page : index.chunks[c].pages()) {
                        codecs.add(page.codec());
                    }
                }
            }
        }
        return codecs;
    }
}
