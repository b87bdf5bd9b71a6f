package io.floe.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.flink.FailOnce;
import io.floe.flink.OpenStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code INSERT INTO} a {@code 'connector' = 'floe'} table on one shared MiniCluster: batch, streaming upserts and deletes, exactly once across a failover. */
class FloeSinkSqlTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** Set once the failing function has thrown (the MiniCluster runs in this JVM). */

    @TempDir
    Path dir;

    @AfterEach
    void storesClosed() throws InterruptedException {
        OpenStores.awaitAllClosed();
    }

    private static StreamTableEnvironment tableEnv(boolean batch, Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.configure(conf);
        return StreamTableEnvironment.create(env, batch ? EnvironmentSettings.inBatchMode() : EnvironmentSettings.inStreamingMode());
    }

    private String floe(String name, String columns, String extra) {
        return "CREATE TABLE " + name + " (" + columns + ") WITH ('connector' = 'floe', 'path' = '" + dir + "', 'bucket' = '3'" + extra + ")";
    }

    private static List<String> rows(StreamTableEnvironment tEnv, String query) throws Exception {
        List<String> out = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(query).collect()) {
            it.forEachRemaining(r -> out.add(r.toString()));
        }
        return out;
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void batchInsertThenSelectEqualsTheInput() throws Exception {
        StreamTableEnvironment tEnv = tableEnv(true, new Configuration());
        tEnv.executeSql("CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '2000', "
                + "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '2000')");
        tEnv.executeSql(floe("orders", "id BIGINT NOT NULL, customer STRING, amount INT, PRIMARY KEY (id) NOT ENFORCED", ""));
        tEnv.executeSql("INSERT INTO orders SELECT id, CONCAT('c', CAST(id % 7 AS STRING)), CAST(id * 3 % 101 AS INT) FROM gen").await();

        List<String> expected = new ArrayList<>();
        for (long id = 1; id <= 2000; id++) {
            expected.add(Row.of(id, "c" + id % 7, (int) (id * 3 % 101)).toString());
        }
        assertThat(rows(tEnv, "SELECT id, customer, amount FROM orders")).containsExactlyInAnyOrderElementsOf(expected);

        // A second job into the same table: its commits must not be ignored (Flink's checkpoint ids restart).
        tEnv.executeSql("INSERT INTO orders SELECT id, 'again', 0 FROM gen WHERE id <= 10").await();
        assertThat(rows(tEnv, "SELECT COUNT(*) FROM orders WHERE customer = 'again'")).containsExactly("+I[10]");
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void streamingUpdatesAndDeletesReachTheSink() throws Exception {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "200 ms");
        StreamTableEnvironment tEnv = tableEnv(false, conf);
        // A changelog source: (k, v) pairs where later values of a key update it and v < 0 marks it for deletion.
        tEnv.executeSql("CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '2000', 'number-of-rows' = '3000', "
                + "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '3000')");
        tEnv.executeSql("CREATE TEMPORARY VIEW latest AS SELECT k, LAST_VALUE(v) AS v FROM "
                + "(SELECT id % 500 AS k, CAST(id AS INT) AS v FROM gen) GROUP BY k");
        tEnv.executeSql(floe("copy", "k BIGINT NOT NULL, v INT, PRIMARY KEY (k) NOT ENFORCED", ""));
        tEnv.executeSql(floe("by_parity", "parity INT NOT NULL, n BIGINT, total BIGINT, PRIMARY KEY (parity) NOT ENFORCED", ""));
        StatementSet set = tEnv.createStatementSet();
        // A key whose latest value is a multiple of 3 is filtered out: an update that turns into a delete.
        set.addInsertSql("INSERT INTO copy SELECT k, v FROM latest WHERE v % 3 <> 0");
        set.addInsertSql("INSERT INTO by_parity SELECT CAST(k % 2 AS INT), COUNT(*), SUM(CAST(v AS BIGINT)) FROM latest WHERE v % 3 <> 0 GROUP BY k % 2");
        set.execute().await();

        TreeMap<Long, Integer> latest = new TreeMap<>();
        for (long id = 1; id <= 3000; id++) {
            latest.put(id % 500, (int) id);
        }
        List<String> copy = new ArrayList<>();
        long[] n = new long[2];
        long[] total = new long[2];
        for (Map.Entry<Long, Integer> e : latest.entrySet()) {
            if (e.getValue() % 3 != 0) {
                copy.add(Row.of(e.getKey(), e.getValue()).toString());
                n[(int) (e.getKey() % 2)]++;
                total[(int) (e.getKey() % 2)] += e.getValue();
            }
        }
        StreamTableEnvironment batch = tableEnv(true, new Configuration());
        batch.executeSql(floe("copy", "k BIGINT NOT NULL, v INT, PRIMARY KEY (k) NOT ENFORCED", ""));
        batch.executeSql(floe("by_parity", "parity INT NOT NULL, n BIGINT, total BIGINT, PRIMARY KEY (parity) NOT ENFORCED", ""));
        assertThat(rows(batch, "SELECT k, v FROM copy")).containsExactlyInAnyOrderElementsOf(copy);
        assertThat(rows(batch, "SELECT parity, n, total FROM by_parity"))
                .containsExactlyInAnyOrder(Row.of(0, n[0], total[0]).toString(), Row.of(1, n[1], total[1]).toString());
    }

    /**
     * Regression test for the sink-parallelism bug: the writers run at another parallelism than the
     * changelog feeding them, and updates and deletes of the same keys must still reach each
     * bucket's one writer in order (a -D overtaking its +U would leave a row that should be gone).
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void updatesAtParallelismOneReachWritersAtParallelismTwo() throws Exception {
        updatesAndDeletesAcrossParallelisms(1, 2);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void updatesAtParallelismTwoReachOneWriter() throws Exception {
        updatesAndDeletesAcrossParallelisms(2, 1);
    }

    private void updatesAndDeletesAcrossParallelisms(int upstream, int writers) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "200 ms");
        StreamTableEnvironment tEnv = tableEnv(false, conf);
        tEnv.getConfig().set("table.exec.resource.default-parallelism", Integer.toString(upstream));
        tEnv.executeSql("CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '3000', 'number-of-rows' = '3000', "
                + "'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '3000')");
        // Every key is updated about 15 times; a key whose value becomes a multiple of 3 is deleted (it may come back).
        tEnv.executeSql("CREATE TEMPORARY VIEW latest AS SELECT k, LAST_VALUE(v) AS v FROM "
                + "(SELECT id % 200 AS k, CAST(id * 7 % 1000 AS INT) AS v FROM gen) GROUP BY k");
        String columns = "k BIGINT NOT NULL, v INT, PRIMARY KEY (k) NOT ENFORCED";
        String sinkParallelism = ", 'sink.parallelism' = '" + writers + "'";
        tEnv.executeSql(floe("copy", columns, sinkParallelism));
        String plan = tEnv.explainSql("INSERT INTO copy SELECT k, v FROM latest WHERE v % 3 <> 0", org.apache.flink.table.api.ExplainDetail.JSON_EXECUTION_PLAN);
        assertThat(plan).as("the writers run at 'sink.parallelism'").containsPattern("Floe sink copy[^}]*\"parallelism\" : " + writers);
        tEnv.executeSql("INSERT INTO copy SELECT k, v FROM latest WHERE v % 3 <> 0").await();

        TreeMap<Long, Integer> latest = new TreeMap<>();
        for (long id = 1; id <= 3000; id++) {
            latest.put(id % 200, (int) (id * 7 % 1000));
        }
        List<String> expected = new ArrayList<>();
        latest.forEach((k, v) -> {
            if (v % 3 != 0) {
                expected.add(Row.of(k, v).toString());
            }
        });
        StreamTableEnvironment batch = tableEnv(true, new Configuration());
        batch.executeSql(floe("copy", columns, ""));
        assertThat(rows(batch, "SELECT k, v FROM copy")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aFailoverNeitherLosesNorDuplicatesRows() throws Exception {
        int rows = 6000;
        FailOnce.arm(4000); // at 2000 rows/s: after about 2 s, i.e. after several completed 200 ms checkpoints
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "200 ms");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ofMillis(200));
        StreamTableEnvironment tEnv = tableEnv(false, conf);
        tEnv.createTemporarySystemFunction("fail_once", FailOnce.class);
        tEnv.executeSql("CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '2000', 'number-of-rows' = '" + rows
                + "', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '" + rows + "')");
        // Every row adds 1 to its key's count: a duplicated row would raise a count, a lost one lower it.
        String counts = "k BIGINT NOT NULL, n BIGINT, PRIMARY KEY (k) NOT ENFORCED";
        String engine = ", 'merge-engine' = 'aggregation', 'fields.n.aggregate-function' = 'sum'";
        tEnv.executeSql(floe("counts", counts, engine));
        TableResult result = tEnv.executeSql("INSERT INTO counts SELECT fail_once(id) % 50, CAST(1 AS BIGINT) FROM gen");
        result.await(100, TimeUnit.SECONDS);
        assertThat(FailOnce.failed()).as("the injected failure happened").isTrue();

        StreamTableEnvironment batch = tableEnv(true, new Configuration());
        batch.executeSql(floe("counts", counts, engine));
        List<String> expected = new ArrayList<>();
        for (long k = 0; k < 50; k++) {
            expected.add(Row.of(k, (long) rows / 50).toString());
        }
        assertThat(rows(batch, "SELECT k, n FROM counts")).containsExactlyInAnyOrderElementsOf(expected);
    }
}
