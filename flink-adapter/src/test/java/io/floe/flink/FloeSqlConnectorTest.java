package io.floe.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import io.floe.kernel.options.ChangelogProducer;
import io.floe.kernel.options.FileLayoutOptions;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code 'connector' = 'floe'} on one shared MiniCluster: batch scans, streaming reads, lookup joins and bad DDL. */
class FloeSqlConnectorTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Schema ORDERS = Schema.builder().column("id", "BIGINT NOT NULL").column("customer", "STRING")
            .column("amount", "INT").primaryKey("id").build();

    @TempDir
    Path dir;
    private final OffHeapAllocator allocator = new OffHeapAllocator("test rows", 1 << 20);
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        allocator.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (FloeStores.openStores() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // a cancelled streaming job releases its stores as its tasks shut down
        }
        assertThat(FloeStores.openStores()).as("stores still open after the jobs ended").isZero();
    }

    /** Writes rows into a Floe table through the kernel API, one writer per bucket, committing each batch. */
    private final class Rows {
        final Table table;
        final Map<Integer, BucketWriter> writers = new HashMap<>();
        final RowWriter row;
        long checkpoint;

        Rows(String name, TableOptions options) {
            FloeStores.Lease lease = FloeStores.acquire(dir, name, ORDERS, options);
            open.add(lease);
            table = lease.table();
            row = new RowWriter(ORDERS, allocator);
            open.add(row);
        }

        Rows upsert(long id, String customer, int amount) {
            write(true, id, customer, amount);
            return this;
        }

        Rows delete(long id) {
            write(false, id, null, null);
            return this;
        }

        private void write(boolean upsert, long id, String customer, Integer amount) {
            row.reset().setLong(0, id);
            if (customer != null) {
                row.setString(1, customer);
            }
            if (amount != null) {
                row.setInt(2, amount);
            }
            int length = row.complete();
            int bucket = table.bucketOf(new RowReader(ORDERS).wrap(row.buffer(), 0, length));
            BucketWriter w = writers.computeIfAbsent(bucket, b -> {
                BucketWriter created = table.writer(b);
                open.add(created);
                return created;
            });
            if (upsert) {
                w.upsert(row.buffer(), 0, length);
            } else {
                w.delete(row.buffer(), 0, length);
            }
        }

        void commit() {
            checkpoint++;
            writers.values().forEach(w -> w.commit(checkpoint));
        }
    }

    private String ddl(String name, String extra) {
        return "CREATE TABLE " + name + " (id BIGINT NOT NULL, customer STRING, amount INT, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                + "'connector' = 'floe', 'path' = '" + dir + "', 'bucket' = '2'" + extra + ")";
    }

    private static StreamTableEnvironment tableEnv(boolean batch) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return StreamTableEnvironment.create(env, batch ? EnvironmentSettings.inBatchMode() : EnvironmentSettings.inStreamingMode());
    }

    @Test
    void batchSelectWithProjectionAndFilterEqualsTheModel() throws Exception {
        Rows rows = new Rows("orders", TableOptions.defaults().withBuckets(2));
        TreeMap<Long, Integer> model = new TreeMap<>();
        for (long id = 0; id < 200; id++) {
            rows.upsert(id, "c" + id % 7, (int) (id * 3 % 101));
            model.put(id, (int) (id * 3 % 101));
        }
        for (long id = 0; id < 200; id += 9) {
            rows.delete(id);
            model.remove(id);
        }
        rows.upsert(5, "changed", 77);
        model.put(5L, 77);
        rows.commit();

        StreamTableEnvironment tEnv = tableEnv(true);
        tEnv.executeSql(ddl("orders", ""));
        List<String> actual = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql("SELECT amount, id FROM orders WHERE amount > 50").collect()) {
            it.forEachRemaining(r -> actual.add(r.getField(1) + "=" + r.getField(0)));
        }
        List<String> expected = new ArrayList<>();
        model.forEach((id, amount) -> {
            if (amount > 50) {
                expected.add(id + "=" + amount);
            }
        });
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void streamingFullReadSeesTheSnapshotThenUpsertsAndDeletes() throws Exception {
        streamingFullRead(ChangelogProducer.NONE, "");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void streamingFullReadWithTheFullChangelogProducer() throws Exception {
        List<Row> seen = streamingFullRead(ChangelogProducer.FULL, ", 'changelog-producer' = 'full'");
        assertThat(seen).anySatisfy(r -> {
            assertThat(r.getKind()).isEqualTo(RowKind.UPDATE_BEFORE);
            assertThat(r.getField(0)).isEqualTo(3L);
            assertThat(r.getField(2)).isEqualTo(30);
        });
    }

    private List<Row> streamingFullRead(ChangelogProducer producer, String extra) throws Exception {
        Rows rows = new Rows("orders", TableOptions.defaults().withBuckets(2).withChangelogProducer(producer));
        TreeMap<Long, String> expected = new TreeMap<>();
        for (long id = 1; id <= 20; id++) {
            rows.upsert(id, "c" + id, (int) id * 10);
            expected.put(id, "c" + id + "/" + id * 10);
        }
        rows.commit();

        StreamTableEnvironment tEnv = tableEnv(false);
        tEnv.executeSql(ddl("orders", extra));
        TableResult result = tEnv.executeSql("SELECT id, customer, amount FROM orders");
        List<Row> seen = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            Map<Long, String> view = new TreeMap<>();
            readUntil(it, view, seen, expected);

            rows.upsert(3, "c3", 33).delete(5).upsert(100, "new", 1000).delete(999); // 999 never existed
            rows.commit();
            expected.put(3L, "c3/33");
            expected.remove(5L);
            expected.put(100L, "new/1000");
            readUntil(it, view, seen, expected);
        }
        return seen;
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void streamingFromTimestampReadsWhatWasCommittedFromThen() throws Exception {
        Rows rows = new Rows("orders", TableOptions.defaults().withBuckets(2));
        for (long id = 1; id <= 10; id++) {
            rows.upsert(id, "old" + id, (int) id);
        }
        rows.commit();
        Thread.sleep(30);
        long from = System.currentTimeMillis();
        Thread.sleep(30);
        rows.upsert(2, "new2", 20).upsert(11, "new11", 110).delete(3).upsert(12, "new12", 120);
        rows.commit();

        StreamTableEnvironment tEnv = tableEnv(false);
        tEnv.executeSql(ddl("orders", ", 'scan.mode' = 'from-timestamp', 'scan.from-timestamp' = '" + from + "'"));
        try (CloseableIterator<Row> it = tEnv.executeSql("SELECT id, customer, amount FROM orders").collect()) {
            // Only the second commit's changes: the upserts (the delete of a key the reader never saw is dropped by Flink's normalization).
            Map<Long, String> expected = new TreeMap<>(Map.of(2L, "new2/20", 11L, "new11/110", 12L, "new12/120"));
            Map<Long, String> view = new TreeMap<>();
            List<Row> seen = new ArrayList<>();
            readUntil(it, view, seen, expected);
            rows.upsert(13, "later", 130).commit();
            expected.put(13L, "later/130");
            readUntil(it, view, seen, expected);
            assertThat(seen).extracting(r -> (Long) r.getField(0)).as("no change of the first commit").doesNotContain(1L, 3L, 4L, 10L);
        }
    }

    @Test
    void lookupJoinFindsTheNewestRowOfEachKey() throws Exception {
        Rows rows = new Rows("customers", TableOptions.defaults().withBuckets(2));
        rows.upsert(1, "ann", 10).upsert(2, "bob", 20).upsert(3, "cid", 30).upsert(2, "bob", 21).delete(3);
        rows.commit();

        StreamTableEnvironment tEnv = tableEnv(false);
        tEnv.executeSql(ddl("customers", ", 'lookup.isolation' = 'read-uncommitted'"));
        tEnv.executeSql("CREATE TEMPORARY VIEW probes AS SELECT id, PROCTIME() AS proc_time FROM (VALUES (CAST(1 AS BIGINT)), (2), (3), (4)) AS t(id)");
        List<String> actual = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql("SELECT p.id, c.customer, c.amount FROM probes AS p "
                + "LEFT JOIN customers FOR SYSTEM_TIME AS OF p.proc_time AS c ON p.id = c.id").collect()) {
            it.forEachRemaining(r -> actual.add(r.getField(0) + ":" + r.getField(1) + ":" + r.getField(2)));
        }
        assertThat(actual).containsExactlyInAnyOrder("1:ann:10", "2:bob:21", "3:null:null", "4:null:null");
    }

    @Test
    void aCachedLookupJoinEqualsAnUncachedOne() throws Exception {
        Rows rows = new Rows("customers", TableOptions.defaults().withBuckets(2));
        rows.upsert(1, "ann", 10).upsert(2, "bob", 20).upsert(3, "cid", 30).upsert(2, "bob", 21).delete(3);
        rows.commit();

        StreamTableEnvironment tEnv = tableEnv(false);
        tEnv.executeSql(ddl("customers", ", 'lookup.isolation' = 'read-uncommitted'"));
        tEnv.executeSql(ddl("cached", ", 'table-name' = 'customers', 'lookup.cache' = 'PARTIAL', 'lookup.partial-cache.max-rows' = '100', "
                + "'lookup.partial-cache.expire-after-write' = '1 h', 'lookup.partial-cache.cache-missing-key' = 'true'"));
        tEnv.executeSql("CREATE TEMPORARY VIEW probes AS SELECT id, PROCTIME() AS proc_time FROM "
                + "(VALUES (CAST(1 AS BIGINT)), (2), (3), (4), (1), (2), (1), (3), (2)) AS t(id)");
        List<List<String>> results = new ArrayList<>();
        for (String dim : List.of("customers", "cached")) {
            List<String> actual = new ArrayList<>();
            // The filter on the dimension table is Flink's (a lookup source receives no pushed filters).
            try (CloseableIterator<Row> it = tEnv.executeSql("SELECT p.id, c.customer, c.amount FROM probes AS p "
                    + "LEFT JOIN " + dim + " FOR SYSTEM_TIME AS OF p.proc_time AS c ON p.id = c.id WHERE c.amount IS NULL OR c.amount > 15").collect()) {
                it.forEachRemaining(r -> actual.add(r.getField(0) + ":" + r.getField(1) + ":" + r.getField(2)));
            }
            results.add(actual);
        }
        assertThat(results.get(0)).containsExactlyInAnyOrder("2:bob:21", "3:null:null", "4:null:null", "2:bob:21", "3:null:null", "2:bob:21");
        assertThat(results.get(1)).containsExactlyInAnyOrderElementsOf(results.get(0));
        String plan = tEnv.explainSql("SELECT p.id, c.customer FROM probes AS p JOIN cached FOR SYSTEM_TIME AS OF p.proc_time AS c ON p.id = c.id");
        assertThat(plan).as("the lookup is cached").containsIgnoringCase("cache");

        tEnv.executeSql(ddl("unbounded", ", 'lookup.cache' = 'PARTIAL'"));
        assertThatThrownBy(() -> tEnv.explainSql("SELECT p.id FROM probes AS p JOIN unbounded FOR SYSTEM_TIME AS OF p.proc_time AS c ON p.id = c.id"))
                .hasStackTraceContaining("'lookup.partial-cache.max-rows'");
    }

    @Test
    void badDdlSaysWhatToChange() {
        StreamTableEnvironment tEnv = tableEnv(true);
        tEnv.executeSql(ddl("typo", ", 'scan.mod' = 'full'"));
        assertThatThrownBy(() -> tEnv.executeSql("SELECT * FROM typo")).hasStackTraceContaining("scan.mod")
                .hasStackTraceContaining("not an option of 'connector' = 'floe'");

        tEnv.executeSql("CREATE TABLE nopath (id BIGINT NOT NULL, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'floe')");
        assertThatThrownBy(() -> tEnv.executeSql("SELECT * FROM nopath")).hasStackTraceContaining("path")
                .hasStackTraceContaining("'path' = './floe-data'");

        tEnv.executeSql("CREATE TABLE nokey (id BIGINT NOT NULL) WITH ('connector' = 'floe', 'path' = '" + dir + "')");
        assertThatThrownBy(() -> tEnv.executeSql("SELECT * FROM nokey")).hasStackTraceContaining("has no primary key")
                .hasStackTraceContaining("PRIMARY KEY (col, ...) NOT ENFORCED");

        new Rows("existing", TableOptions.defaults().withBuckets(2)).commit();
        tEnv.executeSql("CREATE TABLE existing (id BIGINT NOT NULL, customer STRING, amount BIGINT, PRIMARY KEY (id) NOT ENFORCED) "
                + "WITH ('connector' = 'floe', 'path' = '" + dir + "', 'bucket' = '2')");
        assertThatThrownBy(() -> tEnv.executeSql("SELECT * FROM existing")).hasStackTraceContaining("column 3: declared amount BIGINT, stored amount INT")
                .hasStackTraceContaining("Change the DDL to match");

        StreamTableEnvironment streaming = tableEnv(false);
        streaming.executeSql(ddl("fromts", ", 'scan.mode' = 'from-timestamp'"));
        assertThatThrownBy(() -> streaming.explainSql("SELECT * FROM fromts")).hasStackTraceContaining("scan.from-timestamp")
                .hasStackTraceContaining("required when 'scan.mode' = 'from-timestamp'");
    }

    @Test
    void optionsThatShapeStoredDataFailAtPlanningWithTheValueToSet() {
        Rows rows = new Rows("fixed", TableOptions.defaults().withBuckets(2));
        rows.upsert(1, "a", 1).commit();
        StreamTableEnvironment batch = tableEnv(true);
        StreamTableEnvironment streaming = tableEnv(false);
        String columns = "(id BIGINT NOT NULL, customer STRING, amount INT, PRIMARY KEY (id) NOT ENFORCED)";
        batch.executeSql("CREATE TABLE fixed " + columns + " WITH ('connector' = 'floe', 'path' = '" + dir + "', 'bucket' = '4')");
        assertThatThrownBy(() -> batch.explainSql("SELECT * FROM fixed")).as("planning alone fails")
                .hasStackTraceContaining("'bucket' is '2' in the stored table but '4' in the DDL")
                .hasStackTraceContaining("set 'bucket' = '2' in the WITH clause");
        streaming.executeSql("CREATE TABLE fixed " + columns + " WITH ('connector' = 'floe', 'path' = '" + dir + "', 'bucket' = '2', "
                + "'merge-engine' = 'aggregation', 'changelog-producer' = 'full')");
        assertThatThrownBy(() -> streaming.explainSql("INSERT INTO fixed VALUES (CAST(1 AS BIGINT), 'b', 2)"))
                .hasStackTraceContaining("'merge-engine' is 'deduplicate' in the stored table but 'aggregation' in the DDL")
                .hasStackTraceContaining("'changelog-producer' is 'none' in the stored table but 'full' in the DDL")
                .hasStackTraceContaining("set 'changelog-producer' = 'none', 'merge-engine' = 'deduplicate'");
        batch.executeSql("CREATE TABLE fine " + columns + " WITH ('connector' = 'floe', 'path' = '" + dir + "', 'table-name' = 'fixed', "
                + "'bucket' = '2', 'compression' = 'zstd')");
        assertThat(batch.explainSql("SELECT * FROM fine")).as("options that do not shape stored data may change").contains("fine");
    }

    @Test
    void pageSizeOptionsReachTheStoredTableAndBadOnesFailAtPlanning() throws Exception {
        StreamTableEnvironment tEnv = tableEnv(true);
        tEnv.executeSql(ddl("paged", ", 'file.page-size' = '4kb', 'file.page-rows' = '16'"));
        tEnv.executeSql("INSERT INTO paged VALUES (CAST(1 AS BIGINT), 'a', 1), (CAST(2 AS BIGINT), 'b', 2)").await();
        try (Floe floe = Floe.open(dir, FloeOptions.defaults())) {
            assertThat(floe.storedOptions("paged").fileLayout()).isEqualTo(new FileLayoutOptions(4096, 16));
        }
        tEnv.executeSql(ddl("wide", ", 'table-name' = 'paged', 'file.page-size' = '1mb'"));
        assertThat(tEnv.explainSql("SELECT * FROM wide")).as("the page size may change between runs").contains("wide");
        tEnv.executeSql(ddl("badpages", ", 'file.page-size' = '100'"));
        assertThatThrownBy(() -> tEnv.explainSql("SELECT * FROM badpages")).hasStackTraceContaining("'file.page-size'")
                .hasStackTraceContaining("1024 (1 KiB) to 8388608 (8 MiB)");
    }

    /** Applies changes from {@code it} to {@code view} until it equals {@code expected}. */
    private static void readUntil(CloseableIterator<Row> it, Map<Long, String> view, List<Row> seen, Map<Long, String> expected) {
        while (!view.equals(expected)) {
            Row r = it.next();
            seen.add(r);
            long id = (Long) r.getField(0);
            switch (r.getKind()) {
                case INSERT, UPDATE_AFTER -> view.put(id, r.getField(1) + "/" + r.getField(2));
                case UPDATE_BEFORE, DELETE -> assertThat(view.remove(id)).as("retracted %s", r).isEqualTo(r.getField(1) + "/" + r.getField(2));
            }
        }
    }
}
