package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.RowKind;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which string pages get a dictionary, and how a writer stops and resumes trying one per column. */
class PageEncoderDictionaryTest {
    @TempDir
    Path dir;

    @Test
    void theEncoderBuildsADictionaryUpToTheRatioAndSaysWhenItOverflowed() {
        try (OffHeapAllocator allocator = new OffHeapAllocator("dict", Long.MAX_VALUE);
             PageEncoder encoder = new PageEncoder(allocator);
             ByteSink out = new ByteSink(allocator, MemoryPurpose.SST_WRITE)) {
            // 400 distinct values cycling through 1,000 rows: under the 0.5 limit.
            assertThat(encode(encoder, out, allocator, 1_000, 400, 0.5)).isEqualTo(SstLayout.DICT_BYTES);
            assertThat(encoder.dictionaryOverflowed()).isFalse();
            assertThat(encode(encoder, out, allocator, 1_000, 1_000, 0.5)).isNotEqualTo(SstLayout.DICT_BYTES);
            assertThat(encoder.dictionaryOverflowed()).isTrue();
            // No attempt at all: nothing overflowed.
            assertThat(encode(encoder, out, allocator, 1_000, 10, 0)).isNotEqualTo(SstLayout.DICT_BYTES);
            assertThat(encoder.dictionaryOverflowed()).isFalse();
        }
    }

    @Test
    void aColumnSkipsTheDictionaryAfterAnOverflowAndTriesAgainLater() {
        Schema schema = Schema.builder().column("id", "BIGINT NOT NULL").column("s", "STRING").primaryKey("id").build();
        int pageRows = 100;
        int uniquePages = 3;
        int pages = uniquePages + RowGroupWriter.DICTIONARY_RETRY_PAGES + 3;
        Path path = dir.resolve("dict.sst");
        try (OffHeapAllocator allocator = new OffHeapAllocator("dict", Long.MAX_VALUE)) {
            SstOptions options = SstOptions.defaults().withPage(64 << 10, pageRows);
            try (SstWriter w = SstWriter.open(path, schema, options, allocator); RowWriter row = new RowWriter(schema, allocator)) {
                UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
                for (int i = 0; i < pages * pageRows; i++) {
                    // Unique strings on the first pages, then 5 distinct values.
                    String s = i < uniquePages * pageRows ? "unique-" + i : "few-" + (i % 5);
                    row.reset().setLong(0, i);
                    row.setString(1, s);
                    int length = row.complete();
                    key.putLong(0, i, ByteOrder.BIG_ENDIAN);
                    w.add(key, 0, 8, 1, RowKind.INSERT, row.buffer(), 0, length);
                }
                w.finish();
            }
            try (SstReader reader = SstReader.open(path, allocator)) {
                PageIndex[] stringPages = reader.indexes[0].chunks[SstLayout.FIRST_VALUE_COLUMN + 1].pages();
                assertThat(stringPages).hasSize(pages);
                for (int p = 0; p < pages; p++) {
                    // Page 0 overflows and pages 1..15 skip the attempt; page 16 (few values) tries again.
                    boolean expectDictionary = p > RowGroupWriter.DICTIONARY_RETRY_PAGES;
                    assertThat(stringPages[p].encoding() == SstLayout.DICT_BYTES).as("page %d", p).isEqualTo(expectDictionary);
                }
            }
        }
    }

    private static byte encode(PageEncoder encoder, ByteSink out, OffHeapAllocator allocator, int rows, int distinct, double ratio) {
        try (ValueVector v = new ValueVector(true, allocator, MemoryPurpose.SST_WRITE)) {
            for (int i = 0; i < rows; i++) {
                byte[] value = ("value-" + (i * 7919L % distinct) + "-padding-to-make-it-longer").getBytes(StandardCharsets.UTF_8);
                v.appendBytes(new UnsafeBuffer(value), 0, value.length);
            }
            out.clear();
            return encoder.encode(v, false, ratio, out);
        }
    }
}
