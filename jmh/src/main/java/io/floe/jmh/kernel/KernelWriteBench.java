package io.floe.jmh.kernel;

import io.floe.jmh.BenchScale;
import java.util.concurrent.TimeUnit;
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
 * of the rows ({@link KernelBenchData}), {@code codec} (NONE, LZ4, ZSTD) and {@code memtableMiB}
 * ({@link KernelPeerConfig}).
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

    /** {@value #DISTINCT}, fewer in a smoke run ({@link BenchScale}). */
    final int distinct = BenchScale.rows(DISTINCT, 50_000);
    KernelBenchData data;
    KernelPeer engine;
    int next;

    @Setup(Level.Trial)
    public void open() {
        data = new KernelBenchData(KeyDistribution.parse(distribution).ids(distinct, distinct, 0x5EED), 7, columns, valueBytes);
        engine = KernelPeer.create(peer, KernelPeerConfig.of(data, codec, memtableMiB, true));
        engine.prepare(data);
    }

    @TearDown(Level.Trial)
    public void close() {
        engine.close();
    }

    /** Writes the next {@value #BATCH} rows (wrapping round to upserts of existing keys after {@value #DISTINCT} rows). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void write() {
        int i = next;
        for (int n = 0; n < BATCH; n++) {
            engine.put(data, i);
            i = i + 1 == distinct ? 0 : i + 1;
        }
        next = i;
    }
}
