package io.floe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import io.floe.flink.source.FloeSource;
import io.floe.flink.source.ScanPushDown;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.Table;
import io.floe.kernel.options.TableOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streaming read ({@code scan.mode = full}) of a 4-bucket Floe table rescaled through savepoints
 * on a MiniCluster, while the test keeps writing (upserts and deletes of random keys): run 1 at
 * source parallelism 2 is stopped with a savepoint in the middle of its snapshot scan (its
 * collector is throttled), run 2 restores it at parallelism 1 and is stopped with a savepoint once
 * it tails the changelog, run 3 restores that at parallelism 3 and reads to the end. Every run's
 * source is chained to a collector, so the rows of one bucket arrive in the order its reader
 * emitted them; stop-with-savepoint ends a run at its savepoint, so the runs' outputs joined are
 * what a job restored from those savepoints emits.
 *
 * <p>The check, per key, against the changelog the test wrote (each write's value column is
 * unique, so every emitted row names the write it comes from): the key's rows are its snapshot
 * row as of some write (none if the key was absent then) followed by every later change of the
 * key, once each, in order; and per bucket, the changes that did not come from a snapshot scan
 * arrive in increasing seq order. A change lost, doubled or reordered by a rescale fails it.
 */
class FloeSourceRescaleTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "INT").primaryKey("id").build();
    private static final TypeInformation<RowData> TYPE = InternalTypeInfo.of(RowType.of(new BigIntType(false), new IntType()));
    private static final int BUCKETS = 4;
    /** Keys written before run 1: its snapshot holds this many rows, far more than run 1 emits. */
    private static final int INITIAL_KEYS = 40_000;
    /** Later writes pick keys in [0, KEY_SPACE): mostly updates, some new keys, some deletes. */
    private static final int KEY_SPACE = 50_000;

    /** What the collectors received, in the order they received it (the MiniCluster shares the JVM). */
    static final ConcurrentLinkedQueue<Emitted> EMITTED = new ConcurrentLinkedQueue<>();
    /** Nanoseconds a collector waits per row (run 1: slow, so that its savepoint lands in the snapshot scan). */
    static volatile long throttleNanos;

    @TempDir
    Path dir;

    /** One row a collector received. */
    record Emitted(long id, int v, RowKind kind) {
    }

    /** One write of the test: {@code v} is its index in the log. */
    private record Write(long seq, int bucket, long id, int v, boolean delete) {
        RowKind kind() {
            return delete ? RowKind.DELETE : RowKind.INSERT;
        }
    }

    /** Records every row in {@link #EMITTED}, throttled by {@link #throttleNanos}. */
    static final class Collect implements MapFunction<RowData, Boolean> {
        @Override
        public Boolean map(RowData row) {
            EMITTED.add(new Emitted(row.getLong(0), row.getInt(1), row.getRowKind()));
            long wait = throttleNanos;
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            return Boolean.TRUE;
        }
    }

    @AfterEach
    void storesClosed() throws InterruptedException {
        OpenStores.awaitAllClosed();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aStreamingReadRescaledThroughSavepointsEmitsEveryChangeOnceInOrder() throws Exception {
        EMITTED.clear();
        SplittableRandom random = Seeds.random("FloeSourceRescaleTest");
        ReadSpec spec = ReadSpec.of(Map.of("connector", "floe", "path", dir.toString(), "bucket", String.valueOf(BUCKETS)), "src", SCHEMA);
        String savepoints = dir.resolve("savepoints").toUri().toString();
        List<Emitted> received = new ArrayList<>();
        try (OffHeapAllocator allocator = new OffHeapAllocator("test rows", 1 << 20);
             FloeStores.Lease lease = FloeStores.acquire(dir, "src", SCHEMA, TableOptions.defaults().withBuckets(BUCKETS));
             RowWriter row = new RowWriter(SCHEMA, allocator)) {
            Writes writes = new Writes(lease.table(), row, random);
            JobClient job = null;
            try {
                for (long id = 0; id < INITIAL_KEYS; id++) {
                    writes.write(id, false);
                }
                writes.commit();

                // Run 1, parallelism 2: stopped in the middle of its snapshot scan.
                throttleNanos = TimeUnit.MICROSECONDS.toNanos(200);
                job = start(spec, 2, null);
                while (drain(received) < 500) {
                    writes.batch(50);
                    check(job);
                    Thread.sleep(20);
                }
                String savepoint1 = job.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
                job = null;
                int run1 = drain(received);
                // Fewer rows than the snapshot holds (at least INITIAL_KEYS less the few deletes so far): some bucket stopped mid-scan.
                assertThat(run1).as("rows run 1 emitted: its savepoint must interrupt the snapshot scan").isLessThan(INITIAL_KEYS * 3 / 4);
                throttleNanos = 0;
                writes.batch(200); // changes made while no job runs

                // Run 2, parallelism 1: reads the rest of the snapshot, then tails; stopped while tailing.
                // Once a bucket emitted a row in this run, its scan (if any) runs on a snapshot taken before the next batch,
                // whose last upsert the bucket then emits only from its changelog: caught up on it, every bucket is tailing.
                job = start(spec, 1, savepoint1);
                Set<Integer> started = new HashSet<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (started.size() < BUCKETS) {
                    writes.batch(100);
                    check(job);
                    Thread.sleep(20);
                    int from = received.size();
                    for (int i = from, to = drain(received); i < to; i++) {
                        started.add(writes.bucketOf.get(received.get(i).id()));
                    }
                    assertThat(System.nanoTime()).as("waiting for every bucket to emit in run 2, got %s", started).isLessThan(deadline);
                }
                writes.batch(100);
                waitCaughtUp(writes, received, job);
                String savepoint2 = job.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
                job = null;
                int run2 = drain(received) - run1;
                writes.batch(200);

                // Run 3, parallelism 3: tails to the end.
                job = start(spec, 3, savepoint2);
                for (int i = 0; i < 20; i++) {
                    writes.batch(100);
                    check(job);
                    Thread.sleep(20);
                }
                waitCaughtUp(writes, received, job);
                Thread.sleep(300); // a row emitted twice would arrive by now
                job.cancel().get(60, TimeUnit.SECONDS);
                job = null;
                int run3 = drain(received) - run1 - run2;
                System.out.printf("[rescale] %d writes; rows emitted: run 1 (p=2) %d, run 2 (p=1) %d, run 3 (p=3) %d%n",
                        writes.log.size(), run1, run2, run3);
                assertThat(run2).isPositive();
                assertThat(run3).isPositive();
                verify(writes.log, received);
            } finally {
                throttleNanos = 0;
                if (job != null && !job.getJobStatus().get().isGloballyTerminalState()) {
                    job.cancel().get(60, TimeUnit.SECONDS);
                }
                writes.close();
            }
        }
    }

    /** Starts the read at source (and collector) parallelism {@code parallelism}, from {@code savepoint} if not null. */
    private static JobClient start(ReadSpec spec, int parallelism, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failure fails the test (a restart would re-emit rows)
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(parallelism);
        env.fromSource(new FloeSource(spec, false, ScanPushDown.NONE), WatermarkStrategy.noWatermarks(), "floe source", TYPE)
                .uid("floe-source")
                .map(new Collect()).uid("collect")
                .sinkTo(new DiscardingSink<>()).uid("discard");
        StreamGraph graph = env.getStreamGraph();
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return env.executeAsync(graph);
    }

    /** Moves what the collectors received into {@code received}; returns its size. */
    private static int drain(List<Emitted> received) {
        for (Emitted e = EMITTED.poll(); e != null; e = EMITTED.poll()) {
            received.add(e);
        }
        return received.size();
    }

    /** Waits until every bucket's last write (an upsert) was received. */
    private static void waitCaughtUp(Writes writes, List<Emitted> received, JobClient job) throws Exception {
        Set<Integer> pending = new HashSet<>();
        for (int b = 0; b < BUCKETS; b++) {
            pending.add(writes.lastV[b]);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int from = 0;
        while (!pending.isEmpty()) {
            int to = drain(received);
            for (int i = from; i < to; i++) {
                pending.remove(received.get(i).v());
            }
            from = to;
            check(job);
            assertThat(System.nanoTime()).as("waiting for the last writes %s", pending).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Throws if the job ended (it runs until the test stops it). */
    private static void check(JobClient job) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get(); // throws why it failed
            throw new AssertionError("the streaming job ended by itself");
        }
    }

    /**
     * Checks {@code received} against {@code log}: per key, [its snapshot row as of some write]
     * followed by exactly its later changes in order; per bucket, the changes in seq order.
     */
    private static void verify(List<Write> log, List<Emitted> received) {
        Map<Long, List<Write>> history = new HashMap<>();
        for (Write w : log) {
            history.computeIfAbsent(w.id(), k -> new ArrayList<>()).add(w);
        }
        Map<Long, List<Integer>> positions = new HashMap<>();
        for (int p = 0; p < received.size(); p++) {
            positions.computeIfAbsent(received.get(p).id(), k -> new ArrayList<>()).add(p);
        }
        long[] seqAt = new long[received.size()]; // the seq of the change a row carries; -1: a snapshot row
        Set<Long> keys = new TreeSet<>(history.keySet());
        keys.addAll(positions.keySet());
        for (long key : keys) {
            List<Write> h = history.getOrDefault(key, List.of());
            List<Integer> pos = positions.getOrDefault(key, List.of());
            List<Emitted> e = pos.stream().map(received::get).toList();
            int start = decompose(h, e);
            assertThat(start).as("key %d: rows %s are not a snapshot row and then every later change of %s", key, e, h).isGreaterThanOrEqualTo(-1);
            int snapshotRows = start >= 0 && !h.get(start).delete() ? 1 : 0;
            for (int j = 0; j < pos.size(); j++) {
                seqAt[pos.get(j)] = j < snapshotRows ? -1 : h.get(start + 1 + j - snapshotRows).seq();
            }
        }
        Map<Long, Integer> bucketOf = new HashMap<>();
        for (Write w : log) {
            bucketOf.put(w.id(), w.bucket());
        }
        long[] lastSeq = new long[BUCKETS];
        java.util.Arrays.fill(lastSeq, -1);
        for (int p = 0; p < received.size(); p++) {
            if (seqAt[p] >= 0) {
                int b = bucketOf.get(received.get(p).id());
                assertThat(seqAt[p]).as("bucket %d: change %s (row %d) after seq %d", b, received.get(p), p, lastSeq[b]).isGreaterThan(lastSeq[b]);
                lastSeq[b] = seqAt[p];
            }
        }
    }

    /**
     * Returns the largest i in [-1, h.size()) such that {@code e} is the snapshot row of write i
     * (none if i is -1 or a delete) followed by writes i+1.. of {@code h}; -2 if there is none.
     */
    private static int decompose(List<Write> h, List<Emitted> e) {
        for (int i = h.size() - 1; i >= -1; i--) {
            int snapshotRows = i >= 0 && !h.get(i).delete() ? 1 : 0;
            if (e.size() != snapshotRows + h.size() - 1 - i) {
                continue;
            }
            boolean match = snapshotRows == 0 || e.get(0).kind() == RowKind.INSERT && e.get(0).v() == h.get(i).v();
            for (int j = i + 1; match && j < h.size(); j++) {
                Emitted got = e.get(snapshotRows + j - i - 1);
                match = got.kind() == h.get(j).kind() && got.v() == h.get(j).v();
            }
            if (match) {
                return i;
            }
        }
        return -2;
    }

    /** The test's writer: one bucket writer each, a log of every write; single owner (the test thread). */
    private static final class Writes implements AutoCloseable {
        final List<Write> log = new ArrayList<>();
        /** Per bucket, the value of its last write (always an upsert after {@link #batch}). */
        final int[] lastV = new int[BUCKETS];
        /** The bucket of every key written. */
        final Map<Long, Integer> bucketOf = new HashMap<>();
        private final Table table;
        private final RowWriter row;
        private final SplittableRandom random;
        private final Map<Integer, BucketWriter> writers = new TreeMap<>();
        private long checkpoint;

        Writes(Table table, RowWriter row, SplittableRandom random) {
            this.table = table;
            this.row = row;
            this.random = random;
        }

        void write(long id, boolean delete) {
            int v = log.size();
            row.reset().setLong(0, id).setInt(1, v);
            int length = row.complete();
            int bucket = table.bucketOf(new RowReader(SCHEMA).wrap(row.buffer(), 0, length));
            BucketWriter w = writers.computeIfAbsent(bucket, table::writer);
            long seq = delete ? w.delete(row.buffer(), 0, length) : w.upsert(row.buffer(), 0, length);
            log.add(new Write(seq, bucket, id, v, delete));
            lastV[bucket] = v;
            bucketOf.put(id, bucket);
        }

        /** Writes {@code n} random changes, then an upsert in every bucket, and commits. */
        void batch(int n) {
            for (int i = 0; i < n; i++) {
                write(random.nextLong(KEY_SPACE), random.nextInt(10) == 0);
            }
            for (int b = 0; b < BUCKETS; b++) {
                int bucket = b;
                while (log.isEmpty() || log.get(log.size() - 1).bucket() != bucket || log.get(log.size() - 1).delete()) {
                    write(random.nextLong(KEY_SPACE), false);
                }
            }
            commit();
        }

        void commit() {
            checkpoint++;
            for (BucketWriter w : writers.values()) {
                w.commit(checkpoint);
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
