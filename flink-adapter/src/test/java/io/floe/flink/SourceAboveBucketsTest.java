package io.floe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.flink.source.FloeSource;
import io.floe.flink.source.ScanPushDown;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.Table;
import io.floe.kernel.options.TableOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source with more subtasks than the table has buckets (2 buckets, parallelism 4): the subtasks
 * without a bucket must neither lose nor repeat rows, must let a bounded read finish, and must not
 * stop a streaming read from checkpointing (a subtask with no split still acknowledges barriers).
 * And, at that parallelism, a projected read: its snapshot rows come projected from the kernel's
 * scan, its tail rows are projected from whole changelog rows, and both must look alike.
 */
class SourceAboveBucketsTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "INT").primaryKey("id").build();
    private static final TypeInformation<RowData> TYPE = InternalTypeInfo.of(RowType.of(new BigIntType(false), new IntType()));
    private static final int BUCKETS = 2;
    private static final int PARALLELISM = 4;

    @TempDir
    Path dir;

    @AfterEach
    void storesClosed() throws InterruptedException {
        OpenStores.awaitAllClosed();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aBoundedReadEmitsEveryRowOnceAndFinishes() throws Exception {
        ReadSpec spec = ReadSpec.of(Map.of("connector", "floe", "path", dir.toString(), "bucket", String.valueOf(BUCKETS)), "t", SCHEMA);
        try (OffHeapAllocator allocator = new OffHeapAllocator("test rows", 1 << 20);
             FloeStores.Lease lease = FloeStores.acquire(dir, "t", SCHEMA, TableOptions.defaults().withBuckets(BUCKETS));
             RowWriter row = new RowWriter(SCHEMA, allocator);
             Writer writer = new Writer(lease.table(), row)) {
            writer.write(0, 1_000, 1);
            List<long[]> rows = collect(env(null).fromSource(new FloeSource(spec, true, ScanPushDown.NONE), WatermarkStrategy.noWatermarks(),
                    "floe source", TYPE), 1_000);
            assertThat(rows).hasSize(1_000);
            assertThat(rows.stream().mapToLong(r -> r[0]).distinct().count()).isEqualTo(1_000);
            assertThat(rows).allMatch(r -> r[1] == 1);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aStreamingReadTailsEveryBucketAndCheckpoints(@InjectMiniCluster MiniCluster cluster) throws Exception {
        ReadSpec spec = ReadSpec.of(Map.of("connector", "floe", "path", dir.toString(), "bucket", String.valueOf(BUCKETS)), "t", SCHEMA);
        try (OffHeapAllocator allocator = new OffHeapAllocator("test rows", 1 << 20);
             FloeStores.Lease lease = FloeStores.acquire(dir, "t", SCHEMA, TableOptions.defaults().withBuckets(BUCKETS));
             RowWriter row = new RowWriter(SCHEMA, allocator);
             Writer writer = new Writer(lease.table(), row)) {
            writer.write(0, 500, 1);
            StreamExecutionEnvironment env = env(200L);
            DataStream<RowData> source = env.fromSource(new FloeSource(spec, false, ScanPushDown.NONE), WatermarkStrategy.noWatermarks(),
                    "floe source", TYPE);
            try (CloseableIterator<RowData> it = source.executeAndCollect("above buckets")) {
                Map<Long, Integer> latest = new TreeMap<>();
                read(it, latest, 500);
                JobID job = cluster.listJobs().get().stream().filter(j -> !j.getJobState().isGloballyTerminalState())
                        .findFirst().orElseThrow().getJobId();
                // Changes after the snapshot: updates of half the keys and 200 new keys, in both buckets.
                writer.write(0, 250, 2);
                writer.write(500, 700, 3);
                read(it, latest, 250 + 200);
                assertThat(latest).hasSize(700);
                for (long id = 0; id < 700; id++) {
                    assertThat(latest.get(id)).as("value of key %d", id).isEqualTo(id < 250 ? 2 : id < 500 ? 1 : 3);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (completedCheckpoints(cluster, job) < 2) {
                    assertThat(System.nanoTime()).as("two checkpoints complete with two idle subtasks").isLessThan(deadline);
                    Thread.sleep(50);
                }
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aProjectionReordersSnapshotAndTailRowsAlike() throws Exception {
        // The snapshot scan reads only the projected columns (its rows come projected from the
        // kernel); the tail projects whole changelog rows: both must emit (v, id).
        ReadSpec spec = ReadSpec.of(Map.of("connector", "floe", "path", dir.toString(), "bucket", String.valueOf(BUCKETS)), "t", SCHEMA);
        TypeInformation<RowData> reversed = InternalTypeInfo.of(RowType.of(new IntType(), new BigIntType(false)));
        try (OffHeapAllocator allocator = new OffHeapAllocator("test rows", 1 << 20);
             FloeStores.Lease lease = FloeStores.acquire(dir, "t", SCHEMA, TableOptions.defaults().withBuckets(BUCKETS));
             RowWriter row = new RowWriter(SCHEMA, allocator);
             Writer writer = new Writer(lease.table(), row)) {
            writer.write(0, 300, 7);
            writer.flush(); // the snapshot then reads SST files, through the projecting iterator
            DataStream<RowData> source = env(null).fromSource(new FloeSource(spec, false, ScanPushDown.NONE.withProjection(new int[] {1, 0})),
                    WatermarkStrategy.noWatermarks(), "floe source", reversed);
            try (CloseableIterator<RowData> it = source.executeAndCollect("projected")) {
                Map<Long, Integer> latest = new TreeMap<>();
                readReversed(it, latest, 300);
                writer.write(300, 400, 8);
                readReversed(it, latest, 100);
                assertThat(latest).hasSize(400);
                for (long id = 0; id < 400; id++) {
                    assertThat(latest.get(id)).as("value of key %d", id).isEqualTo(id < 300 ? 7 : 8);
                }
            }
        }
    }

    /** Reads {@code n} rows (v, id) of the stream into {@code latest}. */
    private static void readReversed(CloseableIterator<RowData> it, Map<Long, Integer> latest, int n) {
        for (int i = 0; i < n; i++) {
            RowData r = it.next();
            assertThat(r.getArity()).isEqualTo(2);
            latest.put(r.getLong(1), r.getInt(0));
        }
    }

    private static StreamExecutionEnvironment env(Long checkpointMillis) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(PARALLELISM);
        if (checkpointMillis != null) {
            env.enableCheckpointing(checkpointMillis);
        }
        return env;
    }

    /** Runs the bounded {@code stream} to its end; returns its rows as (id, v). */
    private static List<long[]> collect(DataStream<RowData> stream, int expected) throws Exception {
        List<long[]> rows = new ArrayList<>(expected);
        try (CloseableIterator<RowData> it = stream.executeAndCollect("above buckets")) {
            while (it.hasNext()) {
                RowData r = it.next();
                rows.add(new long[] {r.getLong(0), r.getInt(1)});
            }
        }
        return rows;
    }

    /** Reads {@code n} rows of the stream into {@code latest} (each key's last value). */
    private static void read(CloseableIterator<RowData> it, Map<Long, Integer> latest, int n) {
        for (int i = 0; i < n; i++) {
            RowData r = it.next();
            latest.put(r.getLong(0), r.getInt(1));
        }
    }

    private static long completedCheckpoints(MiniCluster cluster, JobID job) throws Exception {
        var stats = cluster.getArchivedExecutionGraph(job).get().getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    /** Upserts keys {@code [from, to)} with value {@code v} and commits. */
    private static final class Writer implements AutoCloseable {
        private final Table table;
        private final RowWriter row;
        private final Map<Integer, BucketWriter> writers = new TreeMap<>();
        private long checkpoint;

        Writer(Table table, RowWriter row) {
            this.table = table;
            this.row = row;
        }

        void write(long from, long to, int v) {
            for (long id = from; id < to; id++) {
                row.reset().setLong(0, id).setInt(1, v);
                int length = row.complete();
                int bucket = table.bucketOf(new RowReader(SCHEMA).wrap(row.buffer(), 0, length));
                writers.computeIfAbsent(bucket, table::writer).upsert(row.buffer(), 0, length);
            }
            checkpoint++;
            for (BucketWriter w : writers.values()) {
                w.commit(checkpoint);
            }
        }

        void flush() {
            for (BucketWriter w : writers.values()) {
                w.flush();
            }
        }

        @Override
        public void close() {
            for (BucketWriter w : writers.values()) {
                w.close();
            }
        }
    }
}
