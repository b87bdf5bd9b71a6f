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
 * A page's statistics of a byte-string column against a model: the smallest and largest value in
 * unsigned byte order (nulls skipped), truncated as the file stores them. Values share long
 * prefixes, are prefixes of each other and are shorter than eight bytes, so that the writer's
 * eight-byte shortcut meets every tie.
 */
class ColumnStatsModelTest {
    final OffHeapAllocator allocator = new OffHeapAllocator("stats", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    @Test
    void minAndMaxOfByteStringsMatchTheModel() {
        SplittableRandom r = Seeds.random("ColumnStatsModelTest.minAndMax");
        Schema schema = Schema.builder().column("id", "BIGINT NOT NULL").column("b", "BYTES").primaryKey("id").build();
        FileColumn column = FileColumn.of(schema)[SstLayout.FIRST_VALUE_COLUMN + 1];
        UnsafeBuffer a = new UnsafeBuffer(new byte[16]);
        UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
        byte[][] stems = {new byte[0], {1, 2, 3, 4, 5, 6, 7, 8, 9}, {(byte) 0xFF, 0, 0, 0, 0, 0, 0, 0}, {0x61, 0x62}};
        for (int round = 0; round < 2_000; round++) {
            try (ValueVector v = new ValueVector(true, allocator, MemoryPurpose.SST_WRITE)) {
                int n = 1 + r.nextInt(40);
                List<byte[]> values = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (r.nextInt(6) == 0) {
                        v.appendNull();
                        continue;
                    }
                    byte[] stem = stems[r.nextInt(stems.length)];
                    byte[] value = Arrays.copyOf(stem, stem.length + r.nextInt(r.nextBoolean() ? 3 : 80));
                    for (int j = stem.length; j < value.length; j++) {
                        value[j] = (byte) (r.nextInt(4) == 0 ? 0 : r.nextInt(256));
                    }
                    values.add(value);
                    v.appendBytes(new UnsafeBuffer(value), 0, value.length);
                }
                ColumnStats stats = ColumnStats.of(column, v, a, b);
                if (values.isEmpty()) {
                    assertThat(stats.min()).isNull();
                    continue;
                }
                values.sort(Arrays::compareUnsigned);
                assertThat(stats.min()).as("round %d", round).isEqualTo(ColumnStats.truncateMin(values.get(0)));
                assertThat(stats.max()).as("round %d", round).isEqualTo(ColumnStats.truncateMax(values.get(values.size() - 1)));
            }
        }
    }
}
