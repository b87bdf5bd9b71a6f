package io.floe.jmh.kernel;

import io.floe.jmh.BenchScale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * End-to-end writes of 100-byte rows with 8-byte keys in random order into a growing table: the
 * write-ahead log, the memtable, and the background flushes and compactions they cause, Floe beside
 * RocksDB (same rows, LZ4, one background job, WAL on, no sync) and Apache Paimon (same rows, LZ4,
 * its writer's one compaction thread; no write-ahead log, no commit: see {@link PaimonPeer}).
 * Throughput in rows per second over iterations of a few seconds, so that flushes and compactions
 * fall inside the measurement.
 *
 * <p>Tuning parameters (each annotation holds only the default, what this benchmark measured
 * before it had them; sweep with {@code -p name=v1,v2} or {@code ./floe bench --sweep}):
 * {@code distribution} of the keys ({@link KeyDistribution}), {@code columns} and {@code valueBytes}
 * of the rows ({@link KernelBenchData}), {@code codec} (NONE, LZ4, ZSTD), {@code memtableMiB}
 * ({@link KernelPeerConfig}) and {@code writers}.
 *
 * <p>{@code writers}: that many threads write at once, each the rows of its own slice of the keys
 * ({@link KernelPeer#writerOf}; every key belongs to one writer), as the subtasks of a Flink sink do.
 * Floe: a table of that many buckets, one {@code BucketWriter} per thread (still one background
 * thread). RocksDB: one database, written from every thread (its write buffer is {@code writers}
 * times {@code memtableMiB}, so that every engine buffers the same). Paimon: a table of that many
 * buckets, one table write per thread, committed together. The score is the rows written by all
 * writers per second: a {@link #write} call counts {@value #BATCH} rows whichever writers wrote
 * them ({@link WriterGang}: the JMH thread is writer 0, the others run in threads of their own).
 * It is a parameter rather than JMH's thread count so that one run can sweep it
 * ({@code -p writers=1,2,4}); JMH's threads ({@code -t T}, {@code --threads T}) are writers too:
 * with {@code writers} 1 they run T writers, else T must be at most {@code writers}. On a machine
 * with fewer cores than writers plus background threads, the writers share the cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class KernelWriteBench {
    static final int BATCH = 1_000;
    static final int DISTINCT = 2_000_000;

    @Param({"floe", "rocksdb", "paimon"})
    public String peer;

    @Param({"uniform"})
    public String distribution;

    @Param({"4"})
    public int columns;

    @Param({"100"})
    public int valueBytes;

    @Param({"LZ4"})
    public String codec;

    @Param({"64"})
    public int memtableMiB;

    @Param({"1"})
    public int writers;

    /** {@value #DISTINCT}, fewer in a smoke run ({@link BenchScale}). */
    final int distinct = BenchScale.rows(DISTINCT, 50_000);
    KernelBenchData data;
    KernelPeer engine;
    WriterGang gang;
    /** The calls of {@link #write} in the trial, warm-up included: checked against the rows written at its end. */
    final AtomicLong calls = new AtomicLong();

    /**
     * Builds the rows and opens the engine with its writers. Throws {@link IllegalArgumentException}
     * if JMH runs more threads than {@code writers} (above 1).
     */
    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        int threads = params.getThreads();
        int n = writers == 1 ? threads : writers;
        if (threads > n) {
            throw new IllegalArgumentException("JMH runs " + threads + " threads, more than writers=" + writers
                    + ": each thread is a writer (drop -p writers to run " + threads + ", or pass -p writers=" + threads + ")");
        }
        data = new KernelBenchData(KeyDistribution.parse(distribution).ids(distinct, distinct, 0x5EED), 7, columns, valueBytes);
        engine = KernelPeer.create(peer, KernelPeerConfig.of(data, codec, memtableMiB, true, n));
        try {
            engine.prepare(data);
            gang = new WriterGang(engine, data, distinct, threads, BATCH);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /**
     * Stops the writers and closes the engine. Throws {@link IllegalStateException} if the rows
     * written are not what the calls counted ({@value #BATCH} each, plus at most the writers' lead).
     */
    @TearDown(Level.Trial)
    public void close() {
        try {
            if (gang != null) {
                gang.close();
                long counted = calls.get() * BATCH;
                long written = gang.rowsWritten();
                if (written < counted || written > counted + gang.lead()) {
                    throw new IllegalStateException(written + " rows written, " + counted + " counted by " + calls.get() + " calls");
                }
            }
        } finally {
            engine.close();
        }
    }

    /** Which writer a JMH thread is: the thread's index. */
    @State(Scope.Thread)
    public static class Coordinator {
        int index;

        @Setup(Level.Trial)
        public void open(ThreadParams thread) {
            index = thread.getThreadIndex();
        }
    }

    /**
     * Lets the writers write {@value #BATCH} more rows and returns when they have; each writer writes
     * its slice of the rows in order, wrapping round to upserts of existing keys after the last.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void write(Coordinator coordinator) {
        gang.write(coordinator.index);
        calls.getAndIncrement();
    }
}
