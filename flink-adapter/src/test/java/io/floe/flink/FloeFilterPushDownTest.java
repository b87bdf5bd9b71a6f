package io.floe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.Table;
import io.floe.kernel.options.TableOptions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.types.DataType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filter and limit push-down on one shared MiniCluster: every query gives on the Floe table what
 * Flink itself computes on a copy of the same rows (a VALUES table, where nothing is pushed), with
 * NULLs in every non-key column, SST files and memtables; the plans show what was pushed.
 */
class FloeFilterPushDownTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(networkMemory()).build());

    /** Room for the network buffers of a job that unions a dozen scans. */
    private static org.apache.flink.configuration.Configuration networkMemory() {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.set(org.apache.flink.configuration.TaskManagerOptions.NETWORK_MEMORY_MIN, org.apache.flink.configuration.MemorySize.parse("192m"));
        conf.set(org.apache.flink.configuration.TaskManagerOptions.NETWORK_MEMORY_MAX, org.apache.flink.configuration.MemorySize.parse("192m"));
        return conf;
    }

    private static final Schema ITEMS = Schema.builder().column("id", "BIGINT NOT NULL").column("name", "STRING").column("amount", "INT")
            .column("price", "DECIMAL(10, 2)").column("d", "DATE").column("ts", "TIMESTAMP(3)").column("flag", "BOOLEAN")
            .column("score", "DOUBLE").column("tag", "BYTES").primaryKey("id").build();
    private static final String COLUMNS = "id BIGINT NOT NULL, name STRING, amount INT, price DECIMAL(10, 2), d DATE, ts TIMESTAMP(3), "
            + "flag BOOLEAN, score DOUBLE, tag BYTES, PRIMARY KEY (id) NOT ENFORCED";
    private static final DataType ROW = DataTypes.ROW(DataTypes.FIELD("id", DataTypes.BIGINT().notNull()), DataTypes.FIELD("name", DataTypes.STRING()),
            DataTypes.FIELD("amount", DataTypes.INT()), DataTypes.FIELD("price", DataTypes.DECIMAL(10, 2)), DataTypes.FIELD("d", DataTypes.DATE()),
            DataTypes.FIELD("ts", DataTypes.TIMESTAMP(3)), DataTypes.FIELD("flag", DataTypes.BOOLEAN()), DataTypes.FIELD("score", DataTypes.DOUBLE()),
            DataTypes.FIELD("tag", DataTypes.BYTES()));

    /** Filters the kernel evaluates (pushed), filters it must not (left to Flink), and mixes. */
    private static final List<String> FILTERS = List.of(
            "id < 100", "id >= 250 AND id <= 260", "id BETWEEN 17 AND 23", "id IN (3, 77, 199, 1000)", "id = 42 OR id = 43", "150 > id",
            "amount > 10", "10 < amount", "amount IS NULL", "amount IS NOT NULL AND amount <= -40", "amount IN (1, 2, 3)",
            "amount = 5 OR name = 'n1'", "amount > 3000000000", "amount < 3000000000", "amount >= -2147483648",
            "name = 'n3'", "name > 'n5' AND name < 'n7'", "name IS NULL", "name LIKE 'n1%'",
            "price >= 12.5", "price < 3", "price = 1.005", "price > 1.005", "price <= 7",
            "d >= DATE '2024-03-01'", "d < DATE '2024-01-15' AND amount > 0",
            "ts < TIMESTAMP '2024-01-01 12:00:00.500'", "ts >= TIMESTAMP '2024-01-01 12:00:00.5004'", "ts <= TIMESTAMP '2024-01-01 12:00:00.5009'",
            "flag", "NOT flag", "flag IS FALSE", "flag = TRUE", "flag IS NOT TRUE",
            "score > 0.5", "score = 0", "tag = X'0102'", "tag > X'01'",
            "id > 100 AND amount < 0 AND name IS NULL", "amount <> 7");

    @TempDir
    Path dir;
    private final OffHeapAllocator allocator = new OffHeapAllocator("test rows", 1 << 20);

    @AfterEach
    void storesClosed() throws InterruptedException {
        allocator.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (FloeStores.openStores() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(FloeStores.openStores()).as("stores still open after the jobs ended").isZero();
    }

    private static StreamTableEnvironment tableEnv(boolean batch, int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        return StreamTableEnvironment.create(env, batch ? EnvironmentSettings.inBatchMode() : EnvironmentSettings.inStreamingMode());
    }

    private String ddl(String name, int buckets) {
        return "CREATE TABLE " + name + " (" + COLUMNS + ") WITH ('connector' = 'floe', 'path' = '" + dir + "', 'bucket' = '" + buckets + "')";
    }

    /** Random rows (NULLs in every non-key column); several batches, each flushed to SSTs but the last. */
    private static List<Object[]> randomRows(SplittableRandom r, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (long id = 0; id < n; id++) {
            rows.add(new Object[] {id, r.nextInt(10) == 0 ? null : "n" + r.nextInt(12), r.nextInt(10) == 0 ? null : r.nextInt(-50, 51),
                r.nextInt(10) == 0 ? null : BigDecimal.valueOf(r.nextInt(-100, 2000), 2), r.nextInt(10) == 0 ? null : LocalDate.of(2024, 1, 1).plusDays(r.nextInt(120)),
                r.nextInt(10) == 0 ? null : LocalDateTime.of(2024, 1, 1, 12, 0).plusNanos(r.nextInt(1000) * 1_000_000L),
                r.nextInt(5) == 0 ? null : r.nextBoolean(), r.nextInt(10) == 0 ? null : r.nextInt(4) == 0 ? 0.0 : r.nextDouble(-1, 1), // no -0.0: VALUES turns it into 0.0
                r.nextInt(10) == 0 ? null : new byte[] {(byte) r.nextInt(3), (byte) r.nextInt(3)}});
        }
        return rows;
    }

    /** Writes {@code rows} through the kernel in batches: all but the last batch flushed to SSTs, then some deletes. */
    private void write(String name, int buckets, List<Object[]> rows, SplittableRandom r) throws Exception {
        try (FloeStores.Lease lease = FloeStores.acquire(dir, name, ITEMS, TableOptions.defaults().withBuckets(buckets));
             RowWriter row = new RowWriter(ITEMS, allocator)) {
            Table table = lease.table();
            Map<Integer, BucketWriter> writers = new HashMap<>();
            try {
                int batch = rows.size() / 4;
                for (int i = 0; i < rows.size(); i++) {
                    row.reset().setAll(rows.get(i));
                    int length = row.complete();
                    int bucket = table.bucketOf(new RowReader(ITEMS).wrap(row.buffer(), 0, length));
                    writers.computeIfAbsent(bucket, table::writer).upsert(row.buffer(), 0, length);
                    if (i % batch == batch - 1 && i < rows.size() - batch) {
                        for (BucketWriter w : writers.values()) {
                            w.commit(i);
                            w.flush();
                        }
                    }
                }
                for (int k = 0; k < 20; k++) {
                    Object[] victim = rows.get(r.nextInt(rows.size()));
                    row.reset().setAll(victim);
                    int length = row.complete();
                    writers.get(table.bucketOf(new RowReader(ITEMS).wrap(row.buffer(), 0, length))).delete(row.buffer(), 0, length);
                }
                for (BucketWriter w : writers.values()) {
                    w.commit(Integer.MAX_VALUE);
                }
            } finally {
                for (BucketWriter w : writers.values()) {
                    w.close();
                }
            }
        }
    }

    private static List<String> rows(StreamTableEnvironment tEnv, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(query).collect()) {
            it.forEachRemaining(row -> {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < row.getArity(); i++) {
                    Object v = row.getField(i);
                    s.append(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v)).append('|');
                }
                out.add(s.toString());
            });
        }
        return out;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void batchQueriesGiveWhatFlinkComputesWithoutPushDown() throws Exception {
        SplittableRandom r = Seeds.random("FloeFilterPushDownTest.batchQueriesGiveWhatFlinkComputesWithoutPushDown");
        write("items", 3, randomRows(r, 400), r);
        StreamTableEnvironment tEnv = tableEnv(true, 2);
        tEnv.executeSql(ddl("items", 3));
        List<Row> all = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql("SELECT * FROM items").collect()) {
            it.forEachRemaining(all::add);
        }
        assertThat(all).hasSizeBetween(380, 400);
        tEnv.createTemporaryView("reference", tEnv.fromValues(ROW, all));

        // Flink's answer on the reference: one job, a 0/1 column per filter (CASE keeps only TRUE, as WHERE does).
        StringBuilder flags = new StringBuilder("SELECT id");
        for (String filter : FILTERS) {
            flags.append(", CASE WHEN ").append(filter).append(" THEN 1 ELSE 0 END");
        }
        Map<Integer, List<String>> expected = new HashMap<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(flags + " FROM reference").collect()) {
            it.forEachRemaining(row -> {
                for (int q = 0; q < FILTERS.size(); q++) {
                    if ((Integer) row.getField(q + 1) == 1) {
                        expected.computeIfAbsent(q, k -> new ArrayList<>()).add(String.valueOf(row.getField(0)));
                    }
                }
            });
        }
        // The Floe table's answer: each filter on its own scan (so that it is pushed), a dozen per job.
        Map<Integer, List<String>> actual = new HashMap<>();
        int half = 12;
        for (int from = 0; from < FILTERS.size(); from += half) {
            List<String> scans = new ArrayList<>();
            for (int q = from; q < Math.min(from + half, FILTERS.size()); q++) {
                scans.add("SELECT " + q + " AS q, id FROM items WHERE " + FILTERS.get(q));
            }
            try (CloseableIterator<Row> it = tEnv.executeSql(String.join(" UNION ALL ", scans)).collect()) {
                it.forEachRemaining(row -> actual.computeIfAbsent((Integer) row.getField(0), k -> new ArrayList<>()).add(String.valueOf(row.getField(1))));
            }
        }
        for (int q = 0; q < FILTERS.size(); q++) {
            assertThat(actual.getOrDefault(q, List.of())).as("WHERE %s", FILTERS.get(q)).containsExactlyInAnyOrderElementsOf(expected.getOrDefault(q, List.of()));
        }
        assertThat(expected.keySet()).as("most filters match some rows").hasSizeGreaterThan(FILTERS.size() * 2 / 3);
    }

    @Test
    void thePlanShowsWhatWasPushedAndWhatFlinkStillFilters() {
        StreamTableEnvironment batch = tableEnv(true, 2);
        batch.executeSql(ddl("items", 3));
        String pushed = batch.explainSql("SELECT id, amount FROM items WHERE amount > 10 AND id < 100");
        assertThat(pushed).contains("filter=[").contains(">(amount, 10)").contains("<(id, 100)");
        assertThat(pushed).as("every filter pushed: Flink filters nothing more").doesNotContain("where=");

        String mixed = batch.explainSql("SELECT id FROM items WHERE score > 0.5 AND amount > 10");
        assertThat(mixed).contains(">(amount, 10)").contains("where=[>(score, 0.5").doesNotContain("where=[AND");

        String none = batch.explainSql("SELECT id FROM items WHERE price = 1.005");
        assertThat(none).contains("filter=[]").contains("where=");

        StreamTableEnvironment streaming = tableEnv(false, 2);
        streaming.executeSql(ddl("items", 3));
        String stream = streaming.explainSql("SELECT id, amount FROM items WHERE amount > 10");
        assertThat(stream).as("streaming: the snapshot is filtered, and Flink filters the changelog").contains("filter=[>(amount, 10)")
                .containsPattern("(where|condition)=\\[>\\(amount, 10\\)");

        String limited = batch.explainSql("SELECT id FROM items WHERE amount > 10 LIMIT 5");
        assertThat(limited).contains("limit=[5]");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aLimitedBatchReadReturnsThatManyRows() throws Exception {
        SplittableRandom r = Seeds.random("FloeFilterPushDownTest.aLimitedBatchReadReturnsThatManyRows");
        write("items", 3, randomRows(r, 400), r);
        StreamTableEnvironment tEnv = tableEnv(true, 2);
        tEnv.executeSql(ddl("items", 3));
        List<String> all = rows(tEnv, "SELECT id, amount FROM items WHERE amount > 0");
        List<String> limited = rows(tEnv, "SELECT id, amount FROM items WHERE amount > 0 LIMIT 7");
        assertThat(limited).hasSize(7);
        assertThat(all).containsAll(limited);
        assertThat(rows(tEnv, "SELECT id FROM items LIMIT 0")).isEmpty();
    }

    /** A streaming read with a filter: the snapshot is filtered in the kernel, the changelog by Flink; the result is the model's. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aStreamingReadFiltersItsSnapshotAndItsChanges() throws Exception {
        Schema schema = ITEMS;
        try (FloeStores.Lease lease = FloeStores.acquire(dir, "items", schema, TableOptions.defaults().withBuckets(1));
             RowWriter row = new RowWriter(schema, allocator);
             BucketWriter writer = lease.table().writer(0)) {
            TreeMap<Long, Integer> model = new TreeMap<>();
            for (long id = 0; id < 100; id++) {
                int amount = (int) (id % 21) - 10;
                row.reset().setAll(id, "n", amount, null, null, null, null, null, null);
                writer.upsert(row.buffer(), 0, row.complete());
                if (amount > 0) {
                    model.put(id, amount);
                }
            }
            writer.commit(1);
            writer.flush();

            StreamTableEnvironment tEnv = tableEnv(false, 1);
            tEnv.executeSql(ddl("items", 1));
            try (CloseableIterator<Row> it = tEnv.executeSql("SELECT id, amount FROM items WHERE amount > 0").collect()) {
                TreeMap<Long, Integer> view = new TreeMap<>();
                readUntil(it, view, model);
                // 1: 9 -> -5 (leaves), 11: -10 -> 5 (enters), 2: deleted while in, 12: deleted while out, 300: new and in.
                Object[][] changes = {{1L, -5}, {11L, 5}, {2L, null}, {12L, null}, {300L, 8}};
                for (Object[] c : changes) {
                    row.reset().setAll(c[0], "n", c[1] == null ? 0 : c[1], null, null, null, null, null, null);
                    int length = row.complete();
                    if (c[1] == null) {
                        writer.delete(row.buffer(), 0, length);
                        model.remove((Long) c[0]);
                    } else if ((Integer) c[1] > 0) {
                        writer.upsert(row.buffer(), 0, length);
                        model.put((Long) c[0], (Integer) c[1]);
                    } else {
                        writer.upsert(row.buffer(), 0, length);
                        model.remove((Long) c[0]);
                    }
                }
                writer.commit(2);
                readUntil(it, view, model);
            }
        }
    }

    private static void readUntil(CloseableIterator<Row> it, Map<Long, Integer> view, Map<Long, Integer> expected) {
        while (!view.equals(expected)) {
            Row r = it.next();
            long id = (Long) r.getField(0);
            switch (r.getKind()) {
                case INSERT, UPDATE_AFTER -> {
                    assertThat((Integer) r.getField(1)).as("a row the filter drops: %s", r).isPositive();
                    view.put(id, (Integer) r.getField(1));
                }
                case UPDATE_BEFORE, DELETE -> assertThat(view.remove(id)).as("retracted %s", r).isNotNull();
            }
        }
    }
}
