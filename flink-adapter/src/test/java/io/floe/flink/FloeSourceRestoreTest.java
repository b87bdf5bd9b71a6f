package io.floe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.IsolationLevel;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.RowScan;
import io.floe.kernel.ScanOptions;
import io.floe.kernel.Snapshot;
import io.floe.kernel.Table;
import io.floe.kernel.options.ChangelogProducer;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.TableOptionsCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming read of a Floe table restored from a checkpoint on a MiniCluster: the job reads the
 * table's snapshot and then its changelog while the test keeps committing rows, a function fails
 * once after a checkpoint has completed, the job restarts from that checkpoint, and what it wrote
 * (a count per key, summed by a Floe table's aggregation engine) must be exactly the rows' counts:
 * a row the restored source emitted twice would raise a count, a row it skipped would lower one.
 */
class FloeSourceRestoreTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());


    private static final Schema SOURCE = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "INT").primaryKey("id").build();
    private static final Schema COUNTS = Schema.builder().column("k", "BIGINT NOT NULL").column("n", "BIGINT").primaryKey("k").build();
    private static final int KEYS = 20;

    @TempDir
    Path dir;

    @AfterEach
    void storesClosed() throws InterruptedException {
        OpenStores.awaitAllClosed();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aRestoredStreamingReadEmitsEveryRowExactlyOnce() throws Exception {
        int snapshotRows = 1000;
        int rows = 4000;
        FailOnce.arm(2500);
        TableOptions sourceOptions = TableOptions.defaults().withBuckets(2).withChangelogProducer(ChangelogProducer.FULL);
        TableOptions countOptions = TableOptionsCodec.parse(Map.of("bucket", "2", "merge-engine", "aggregation", "fields.n.aggregate-function", "sum"));
        try (OffHeapAllocator allocator = new OffHeapAllocator("test rows", 1 << 20);
             FloeStores.Lease source = FloeStores.acquire(dir, "src", SOURCE, sourceOptions);
             FloeStores.Lease counts = FloeStores.acquire(dir, "counts", COUNTS, countOptions);
             RowWriter row = new RowWriter(SOURCE, allocator)) {
            Map<Integer, BucketWriter> writers = new HashMap<>();
            long checkpoint = 0;
            TableResult job = null;
            try {
                write(source.table(), writers, row, 1, snapshotRows, ++checkpoint);

                Configuration conf = new Configuration();
                conf.setString("execution.checkpointing.interval", "200 ms");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
                env.setParallelism(2);
                env.configure(conf);
                StreamTableEnvironment tEnv = StreamTableEnvironment.create(env, EnvironmentSettings.inStreamingMode());
                // Every source row is an insert (+I): written as is, each adds 1 to its key's count.
                tEnv.getConfig().set("table.exec.sink.upsert-materialize", "NONE");
                tEnv.createTemporarySystemFunction("fail_once", FailOnce.class);
                tEnv.executeSql("CREATE TABLE src (id BIGINT NOT NULL, v INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'floe', "
                        + "'path' = '" + dir + "', 'bucket' = '2', 'changelog-producer' = 'full')");
                tEnv.executeSql("CREATE TABLE counts (k BIGINT NOT NULL, n BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ('connector' = 'floe', "
                        + "'path' = '" + dir + "', 'bucket' = '2', 'merge-engine' = 'aggregation', 'fields.n.aggregate-function' = 'sum')");
                job = tEnv.executeSql("INSERT INTO counts SELECT fail_once(id) % " + KEYS + ", CAST(1 AS BIGINT) FROM src");

                // The changelog: batches of 100 rows, each committed; the batch with the failing row only after a checkpoint committed output.
                for (long from = snapshotRows + 1; from <= rows; from += 100) {
                    if (from + 100 > FailOnce.failAt() && !FailOnce.failed()) {
                        waitFor(job, () -> total(counts.table()) > 0, "a checkpoint that committed output");
                    }
                    write(source.table(), writers, row, from, from + 99, ++checkpoint);
                    Thread.sleep(50);
                }
                waitFor(job, () -> FailOnce.failed() && total(counts.table()) >= rows, "every row counted after the failure");
                Thread.sleep(1000); // several more checkpoints: a duplicate would show up by now
                TreeMap<Long, Long> expected = new TreeMap<>();
                for (long k = 0; k < KEYS; k++) {
                    expected.put(k, (long) rows / KEYS);
                }
                assertThat(countsByKey(counts.table())).isEqualTo(expected);
            } finally {
                if (job != null && !job.getJobClient().orElseThrow().getJobStatus().get().isGloballyTerminalState()) {
                    job.getJobClient().orElseThrow().cancel().get(60, TimeUnit.SECONDS);
                }
                for (BucketWriter w : writers.values()) {
                    w.close();
                }
            }
        }
    }

    /** Writes rows {@code from..to} (ids) and commits them as {@code checkpoint}. */
    private static void write(Table table, Map<Integer, BucketWriter> writers, RowWriter row, long from, long to, long checkpoint) {
        for (long id = from; id <= to; id++) {
            row.reset().setLong(0, id).setInt(1, (int) id);
            int length = row.complete();
            int bucket = table.bucketOf(new RowReader(SOURCE).wrap(row.buffer(), 0, length));
            writers.computeIfAbsent(bucket, table::writer).upsert(row.buffer(), 0, length);
        }
        for (BucketWriter w : writers.values()) {
            w.commit(checkpoint);
        }
    }

    private static TreeMap<Long, Long> countsByKey(Table counts) {
        TreeMap<Long, Long> out = new TreeMap<>();
        try (Snapshot s = counts.snapshot(IsolationLevel.READ_COMMITTED)) {
            for (int b = 0; b < s.bucketCount(); b++) {
                try (RowScan scan = s.scan(b, ScanOptions.all())) {
                    while (scan.next()) {
                        out.put(scan.row().getLong(0), scan.row().getLong(1));
                    }
                }
            }
        }
        return out;
    }

    private static long total(Table counts) {
        return countsByKey(counts).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Waits for {@code condition}; throws the job's failure if it ended. */
    private static void waitFor(TableResult job, java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        while (!condition.getAsBoolean()) {
            if (job.getJobClient().orElseThrow().getJobStatus().get().isGloballyTerminalState()) {
                job.await(); // throws why it failed
                throw new AssertionError("the streaming job ended while waiting for " + what);
            }
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
