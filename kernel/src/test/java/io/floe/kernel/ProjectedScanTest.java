package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.SyncMode;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import io.floe.kernel.options.AggregateFunction;
import io.floe.kernel.options.AggregationDeletePolicy;
import io.floe.kernel.options.ChangelogProducer;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.MergeEngineKind;
import io.floe.kernel.options.MergeEngineOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import io.floe.kernel.read.ReadColumns;
import io.floe.sst.Predicate;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Projection pushed into the SST iterators: under every merge engine, a seeded random workload
 * (upserts with random nulls, deletes, flushes of 4 KiB memtables, compactions) is scanned with
 * random projections, predicates (on projected and unprojected columns) and key ranges, and each
 * projected scan must return exactly the full scan's rows (same options, every column) projected.
 * The schema has NOT NULL value columns, which a projected scan leaves null in the rows it folds.
 * Replay with {@code -Dfloe.seed=N}.
 */
class ProjectedScanTest {
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("n", "INT NOT NULL").column("v", "BIGINT")
            .column("d", "DOUBLE").column("s", "STRING").column("w", "DECIMAL(30, 5) NOT NULL").column("t", "STRING").primaryKey("id")
            .build();
    private static final int KEYS = 300;

    @TempDir
    Path dir;

    static MergeEngineOptions engine(MergeEngineKind kind) {
        return kind == MergeEngineKind.AGGREGATION
                ? MergeEngineOptions.aggregation(Map.of("n", AggregateFunction.SUM, "v", AggregateFunction.COUNT, "d", AggregateFunction.MAX,
                "s", AggregateFunction.MIN, "w", AggregateFunction.SUM), AggregateFunction.LAST_NON_NULL, AggregationDeletePolicy.REMOVE_ROW)
                : MergeEngineOptions.of(kind);
    }

    @ParameterizedTest
    @EnumSource(MergeEngineKind.class)
    void projectedScansEqualFullScansProjected(MergeEngineKind kind) {
        run(kind, ChangelogProducer.NONE);
    }

    @Test
    void projectedScansEqualFullScansProjectedUnderTheFullChangelogProducer() {
        run(MergeEngineKind.PARTIAL_UPDATE, ChangelogProducer.FULL);
    }

    private void run(MergeEngineKind kind, ChangelogProducer producer) {
        SplittableRandom r = Seeds.random("ProjectedScanTest." + kind + "." + producer);
        TableOptions options = TableOptions.defaults().withBuckets(2).withWriteBuffer(new WriteBufferOptions(4 << 10, 2))
                .withMergeEngine(engine(kind)).withChangelogProducer(producer);
        try (Floe floe = Floe.open(dir.resolve(kind + "-" + producer), FloeOptions.defaults(), SyncMode.NONE)) {
            Table table = floe.createTable("t", SCHEMA, options);
            try (TableHarness h = new TableHarness(table)) {
                for (int round = 0; round < 12; round++) {
                    for (int op = 0; op < 250; op++) {
                        long id = r.nextInt(KEYS);
                        if (r.nextInt(8) == 0) {
                            h.deleteRow(keyRow(id));
                        } else {
                            h.upsertRow(randomRow(r, id));
                        }
                    }
                    if (r.nextInt(3) == 0) {
                        h.flush();
                    }
                    if (r.nextInt(4) == 0) {
                        for (int b = 0; b < table.bucketCount(); b++) {
                            table.compact(b);
                        }
                    }
                    try (Snapshot snapshot = table.snapshot()) {
                        for (int q = 0; q < 8; q++) {
                            checkScan(r, table, snapshot, kind + " round " + round + " query " + q);
                        }
                    }
                }
            } finally {
                table.close();
            }
        }
    }

    /** Returns a row of {@link #SCHEMA} with key {@code id} and the least other values its NOT NULL columns allow (for deletes and keys). */
    static Object[] keyRow(long id) {
        return new Object[] {id, 0, null, null, null, BigDecimal.ZERO, null};
    }

    /** Returns a random row of {@link #SCHEMA} with key {@code id}. */
    static Object[] randomRow(SplittableRandom r, long id) {
        return new Object[] {id, r.nextInt(-1000, 1000), r.nextInt(4) == 0 ? null : (long) r.nextInt(-1000, 1000),
            r.nextInt(4) == 0 ? null : (double) r.nextInt(-1000, 1000), r.nextInt(4) == 0 ? null : "s" + r.nextInt(60),
            BigDecimal.valueOf(r.nextLong(-1_000_000_000L, 1_000_000_000L), 5),
            r.nextInt(4) == 0 ? null : "t".repeat(r.nextInt(40)) + r.nextInt(1000)};
    }

    private static void checkScan(SplittableRandom r, Table table, Snapshot snapshot, String context) {
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < SCHEMA.columnCount(); c++) {
            if (r.nextInt(3) == 0) {
                columns.add(SCHEMA.column(c).name());
            }
        }
        if (columns.isEmpty()) {
            columns.add(SCHEMA.column(1 + r.nextInt(SCHEMA.columnCount() - 1)).name());
        }
        java.util.Collections.shuffle(columns, new java.util.Random(r.nextLong()));
        List<Predicate> terms = new ArrayList<>();
        for (int t = r.nextInt(3); t > 0; t--) {
            terms.add(randomTerm(r));
        }
        Predicate predicate = terms.isEmpty() ? null : terms.size() == 1 ? terms.get(0) : new Predicate.And(terms);
        byte[] from = r.nextInt(3) == 0 ? encodedKey(table, r.nextInt(KEYS)) : null;
        byte[] to = r.nextInt(3) == 0 ? encodedKey(table, r.nextInt(KEYS)) : null;
        ScanOptions full = new ScanOptions(from, to, null, predicate);
        ScanOptions projected = full.withColumns(columns);
        int[] indexes = columns.stream().mapToInt(SCHEMA::indexOf).toArray();
        List<List<Object>> expected = new ArrayList<>();
        for (List<Object> fullRow : TableHarness.scanAll(snapshot, full)) {
            List<Object> out = new ArrayList<>();
            for (int c : indexes) {
                out.add(fullRow.get(c));
            }
            expected.add(out);
        }
        List<List<Object>> actual = TableHarness.scanAll(snapshot, projected);
        assertThat(actual).as("%s: columns %s where %s", context, columns, predicate)
                .usingElementComparator((a, b) -> Arrays.deepEquals(a.toArray(), b.toArray()) ? 0 : 1)
                .containsExactlyElementsOf(expected);
    }

    static Predicate randomTerm(SplittableRandom r) {
        int c = r.nextInt(SCHEMA.columnCount());
        String name = SCHEMA.column(c).name();
        Object literal = switch (c) {
            case 0 -> (long) r.nextInt(KEYS);
            case 1 -> r.nextInt(-1000, 1000);
            case 2 -> (long) r.nextInt(-1000, 1000);
            case 3 -> (double) r.nextInt(-1000, 1000);
            case 4 -> "s" + r.nextInt(60);
            case 5 -> BigDecimal.valueOf(r.nextLong(-1_000_000_000L, 1_000_000_000L), 5);
            default -> "t".repeat(r.nextInt(40));
        };
        return switch (r.nextInt(6)) {
            case 0 -> Predicate.eq(name, literal);
            case 1 -> Predicate.lt(name, literal);
            case 2 -> Predicate.ge(name, literal);
            case 3 -> Predicate.isNull(name);
            case 4 -> Predicate.in(name, literal);
            default -> Predicate.gt(name, literal);
        };
    }

    static byte[] encodedKey(Table table, long id) {
        try (OffHeapAllocator a = new OffHeapAllocator("key", Long.MAX_VALUE); RowWriter w = new RowWriter(SCHEMA, a)) {
            w.reset().setAll(keyRow(id));
            w.complete();
            RowReader reader = new RowReader(SCHEMA).wrap(w.buffer(), 0, w.length());
            byte[] key = new byte[table.keyEncoder().maxLength(reader)];
            int length = table.keyEncoder().encode(reader, new UnsafeBuffer(key), 0);
            return Arrays.copyOf(key, length);
        }
    }

    @Test
    void readColumnsAreTheProjectedAndTestedOnes() {
        assertThat(ReadColumns.of(SCHEMA, null, Predicate.eq("v", 1L))).isNull();
        assertThat(ReadColumns.of(SCHEMA, new int[] {4, 1}, null)).containsExactly(false, true, false, false, true, false, false);
        assertThat(ReadColumns.of(SCHEMA, new int[] {4}, Predicate.and(Predicate.isNull("d"), Predicate.in("t", "x"))))
                .containsExactly(false, false, false, true, true, false, true);
        assertThat(ReadColumns.of(SCHEMA, new int[] {0, 1, 2, 3, 4, 5}, Predicate.gt("t", "a"))).isNull();
    }
}
