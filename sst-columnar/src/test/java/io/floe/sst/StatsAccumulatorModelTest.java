package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's reused statistics ({@link StatsAccumulator}) against the immutable ones as the model
 * ({@link ColumnStats#of}, {@link ColumnStats#merge}): random pages of every kind of column (the key,
 * integers, floats, strings and bytes long enough to be truncated or all 0xFF, wide decimals and
 * timestamps; some pages all null, some with no nulls) are measured into one accumulator reused
 * across pages, merged into a chunk and a file accumulator reused across rounds, and after every step
 * the accumulator must equal the model and store the same bytes.
 */
class StatsAccumulatorModelTest {
    final OffHeapAllocator allocator = new OffHeapAllocator("stats-accumulator", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    @Test
    void pageChunkAndFileStatisticsMatchTheModel() {
        SplittableRandom r = Seeds.random("StatsAccumulatorModelTest.pageChunkAndFile");
        Schema schema = Schema.builder().column("id", "BIGINT NOT NULL").column("i", "INT").column("d", "DOUBLE").column("f", "FLOAT")
                .column("s", "STRING").column("b", "BYTES").column("dec", "DECIMAL(30, 2)").column("ts", "TIMESTAMP(9)").primaryKey("id").build();
        FileColumn[] columns = FileColumn.of(schema);
        UnsafeBuffer a = new UnsafeBuffer(new byte[16]);
        UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
        StatsAccumulator page = new StatsAccumulator();
        StatsAccumulator chunk = new StatsAccumulator();
        StatsAccumulator file = new StatsAccumulator();
        try (ByteSink expected = new ByteSink(allocator, MemoryPurpose.SST_WRITE);
             ByteSink actual = new ByteSink(allocator, MemoryPurpose.SST_WRITE)) {
            for (int round = 0; round < 600; round++) {
                FileColumn column = columns[r.nextInt(columns.length)];
                ColumnStats fileModel = ColumnStats.empty();
                file.reset();
                int chunks = 1 + r.nextInt(3);
                for (int g = 0; g < chunks; g++) {
                    ColumnStats chunkModel = ColumnStats.empty();
                    chunk.reset();
                    int pages = 1 + r.nextInt(5);
                    for (int p = 0; p < pages; p++) {
                        try (ValueVector v = new ValueVector(column.variable(), allocator, MemoryPurpose.SST_WRITE)) {
                            fill(r, column, v);
                            ColumnStats model = ColumnStats.of(column, v, a, b);
                            page.measure(column, v);
                            String at = "round " + round + " column " + column.name() + " chunk " + g + " page " + p;
                            check(at + " (page)", page, model, expected, actual);
                            chunkModel = chunkModel.merge(model);
                            chunk.merge(page);
                            check(at + " (chunk)", chunk, chunkModel, expected, actual);
                        }
                    }
                    fileModel = fileModel.merge(chunkModel);
                    file.merge(chunk);
                    check("round " + round + " chunk " + g + " (file)", file, fileModel, expected, actual);
                }
            }
        }
    }

    private static void check(String at, StatsAccumulator actual, ColumnStats model, ByteSink expectedBytes, ByteSink actualBytes) {
        assertThat(actual.toColumnStats()).as(at).isEqualTo(model);
        assertThat(actual.rows()).as(at).isEqualTo(model.rowCount());
        assertThat(actual.allNull()).as(at).isEqualTo(model.allNull());
        expectedBytes.clear();
        actualBytes.clear();
        model.write(expectedBytes);
        actual.write(actualBytes);
        byte[] e = new byte[expectedBytes.position()];
        byte[] x = new byte[actualBytes.position()];
        expectedBytes.buffer().getBytes(0, e);
        actualBytes.buffer().getBytes(0, x);
        assertThat(x).as(at + ": stored form").isEqualTo(e);
    }

    /** Appends a random page of values of {@code column} (keys ascending); a tenth of the pages are all null, a third have no null. */
    private static void fill(SplittableRandom r, FileColumn column, ValueVector v) {
        int n = 1 + r.nextInt(30);
        int nullOdds = !column.nullable() || r.nextInt(3) == 0 ? 0 : r.nextInt(10) == 0 ? 1 : 2 + r.nextInt(5);
        if (column.isKey()) {
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                keys.add(bytes(r, r.nextInt(4) == 0 ? 100 : 12));
            }
            keys.sort(Arrays::compareUnsigned);
            for (byte[] k : keys) {
                v.appendBytes(new UnsafeBuffer(k), 0, k.length);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            if (nullOdds == 1 || (nullOdds > 1 && r.nextInt(nullOdds) == 0)) {
                v.appendNull();
                continue;
            }
            byte[] value = switch (column.root()) {
                case STRING, BYTES -> bytes(r, r.nextBoolean() ? 10 : 3 * SstLayout.MAX_STAT_BYTES);
                case DECIMAL -> bytes(r, 1, 16);
                case TIMESTAMP -> bytes(r, 12, 12);
                default -> null;
            };
            if (value == null) {
                v.appendLong(r.nextInt(3) == 0 ? r.nextLong(-5, 5) : r.nextLong());
            } else {
                v.appendBytes(new UnsafeBuffer(value), 0, value.length);
            }
        }
    }

    private static byte[] bytes(SplittableRandom r, int maxLength) {
        return bytes(r, 0, maxLength);
    }

    /** Returns {@code minLength} to {@code maxLength} random bytes, a quarter of the time all 0xFF, a quarter of the time with many zeros. */
    private static byte[] bytes(SplittableRandom r, int minLength, int maxLength) {
        int length = minLength + r.nextInt(maxLength - minLength + 1);
        byte[] out = new byte[length];
        int mode = r.nextInt(4);
        for (int i = 0; i < length; i++) {
            out[i] = mode == 0 ? (byte) 0xFF : mode == 1 && r.nextBoolean() ? 0 : (byte) r.nextInt(256);
        }
        return out;
    }
}
