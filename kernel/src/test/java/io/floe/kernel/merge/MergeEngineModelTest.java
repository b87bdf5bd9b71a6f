package io.floe.kernel.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import io.floe.kernel.options.AggregateFunction;
import io.floe.kernel.options.AggregationDeletePolicy;
import io.floe.kernel.options.MergeEngineKind;
import io.floe.kernel.options.MergeEngineOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each merge engine against a plain Java model ({@link MergeModel}): random upserts (with random
 * nulls) and deletes of one key, folded newest first, and folded again after random "compactions"
 * of adjacent entries (grouping must not change the result, which is what lets compaction fold).
 */
class MergeEngineModelTest {
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("i", "INT").column("l", "BIGINT")
            .column("d", "DOUBLE").column("dec", "DECIMAL(10, 2)").column("wdec", "DECIMAL(30, 5)").column("s", "STRING")
            .column("ts", "TIMESTAMP(6)").column("dt", "DATE").column("b", "BOOLEAN").column("by", "BYTES").primaryKey("id").build();

    static Stream<MergeEngineOptions> engines() {
        return Stream.of(MergeEngineOptions.deduplicate(), MergeEngineOptions.of(MergeEngineKind.FIRST_ROW),
                MergeEngineOptions.of(MergeEngineKind.PARTIAL_UPDATE),
                MergeEngineOptions.aggregation(Map.of("i", AggregateFunction.SUM, "l", AggregateFunction.COUNT, "d", AggregateFunction.MAX,
                        "dec", AggregateFunction.SUM, "wdec", AggregateFunction.SUM, "s", AggregateFunction.MIN, "ts", AggregateFunction.MAX,
                        "dt", AggregateFunction.MIN, "b", AggregateFunction.MAX, "by", AggregateFunction.LAST), AggregateFunction.LAST_NON_NULL,
                        AggregationDeletePolicy.REMOVE_ROW),
                MergeEngineOptions.aggregation(Map.of("i", AggregateFunction.MIN, "l", AggregateFunction.SUM, "d", AggregateFunction.SUM,
                        "dec", AggregateFunction.MAX, "wdec", AggregateFunction.MIN, "s", AggregateFunction.MAX, "ts", AggregateFunction.MIN,
                        "dt", AggregateFunction.MAX, "b", AggregateFunction.MIN), AggregateFunction.LAST_NON_NULL,
                        AggregationDeletePolicy.REMOVE_ROW));
    }

    /** An entry of one key: a row (stored form) or a delete (null). */
    private record Entry(byte[] row) {
    }

    @ParameterizedTest
    @MethodSource("engines")
    void foldsMatchTheModelUnderAnyGrouping(MergeEngineOptions options) {
        SplittableRandom r = Seeds.random("MergeEngineModelTest." + options.kind() + options.aggregates().get("i"));
        try (OffHeapAllocator allocator = new OffHeapAllocator("test", Long.MAX_VALUE)) {
            MergeEngine engine = MergeEngines.create(SCHEMA, options);
            MergeModel model = new MergeModel(SCHEMA, options);
            try (RowWriter writer = new RowWriter(SCHEMA, allocator); RowWriter prepared = new RowWriter(SCHEMA, allocator);
                 KeyFolder folder = new KeyFolder(engine, allocator)) {
                for (int round = 0; round < 500; round++) {
                    List<Entry> entries = new ArrayList<>();
                    Object[] expected = null;
                    int n = 1 + r.nextInt(12);
                    for (int k = 0; k < n; k++) {
                        if (r.nextInt(6) == 0) {
                            entries.add(new Entry(null));
                            expected = null;
                        } else {
                            Object[] values = MergeModel.randomRow(r, 7L);
                            writer.reset().setAll(values).complete();
                            byte[] stored;
                            if (engine.needsPrepare()) {
                                engine.prepare(new io.floe.common.row.RowReader(SCHEMA).wrap(writer.buffer(), 0, writer.length()), prepared);
                                stored = prepared.toByteArray();
                            } else {
                                stored = writer.toByteArray();
                            }
                            entries.add(new Entry(stored));
                            expected = model.upsert(expected, values);
                        }
                    }
                    assertFold(folder, entries, expected, "sequential");
                    // random compactions: fold random adjacent groups, keeping deletes unless the group is the oldest
                    List<Entry> compacted = entries;
                    for (int pass = 0; pass < 3; pass++) {
                        compacted = compactRandomGroups(folder, compacted, r);
                        assertFold(folder, compacted, expected, "after compaction pass " + pass);
                    }
                }
            }
            assertThat(allocator.leakReport()).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void aggregationRejectsDeletesByDefault() {
        MergeEngine engine = MergeEngines.create(SCHEMA, MergeEngineOptions.aggregation(Map.of("i", AggregateFunction.SUM),
                AggregateFunction.LAST_NON_NULL, AggregationDeletePolicy.REJECT));
        assertThatThrownBy(engine::checkDelete).isInstanceOf(UnsupportedChangeException.class).hasMessageContaining("aggregation.delete");
        MergeEngines.create(SCHEMA, MergeEngineOptions.of(MergeEngineKind.PARTIAL_UPDATE)).checkDelete();
    }

    @org.junit.jupiter.api.Test
    void sumOverflowIsAnErrorNotAWrap() {
        MergeEngine engine = MergeEngines.create(SCHEMA, MergeEngineOptions.aggregation(Map.of("i", AggregateFunction.SUM),
                AggregateFunction.LAST_NON_NULL, AggregationDeletePolicy.REJECT));
        try (OffHeapAllocator allocator = new OffHeapAllocator("test", Long.MAX_VALUE); RowWriter a = new RowWriter(SCHEMA, allocator);
             RowWriter out = new RowWriter(SCHEMA, allocator)) {
            a.reset().setLong(0, 1).setInt(1, Integer.MAX_VALUE).complete();
            io.floe.common.row.RowReader ra = new io.floe.common.row.RowReader(SCHEMA).wrap(a.buffer(), 0, a.length());
            assertThatThrownBy(() -> engine.merge(ra, ra, out)).isInstanceOf(io.floe.common.error.ValueOutOfRangeException.class)
                    .hasMessageContaining("'i'");
        }
    }

    private static List<Entry> compactRandomGroups(KeyFolder folder, List<Entry> entries, SplittableRandom r) {
        List<Entry> out = new ArrayList<>();
        int start = 0;
        while (start < entries.size()) {
            int end = start + 1 + r.nextInt(entries.size() - start);
            boolean bottom = start == 0;
            folder.reset();
            for (int i = end - 1; i >= start; i--) {
                Entry e = entries.get(i);
                boolean more = e.row() == null ? folder.addDelete()
                        : folder.addUpsert(new org.agrona.concurrent.UnsafeBuffer(e.row()), 0, e.row().length);
                if (!more) {
                    break;
                }
            }
            if (folder.reachedDelete() && !bottom) {
                out.add(new Entry(null));
            }
            if (folder.hasRow()) {
                io.floe.common.row.RowReader row = folder.row();
                byte[] bytes = new byte[row.length()];
                row.buffer().getBytes(row.offset(), bytes);
                out.add(new Entry(bytes));
            }
            start = end;
        }
        return out;
    }

    private static void assertFold(KeyFolder folder, List<Entry> entries, Object[] expected, String how) {
        folder.reset();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            boolean more = e.row() == null ? folder.addDelete()
                    : folder.addUpsert(new org.agrona.concurrent.UnsafeBuffer(e.row()), 0, e.row().length);
            if (!more) {
                break;
            }
        }
        if (expected == null) {
            assertThat(folder.hasRow()).as(how).isFalse();
        } else {
            assertThat(folder.hasRow()).as(how).isTrue();
            Object[] actual = folder.row().toObjects();
            assertThat(Arrays.deepEquals(actual, expected)).as("%s: %s vs model %s", how, Arrays.deepToString(actual),
                    Arrays.deepToString(expected)).isTrue();
        }
    }
}
