package io.floe.jmh.kernel;

import io.floe.jmh.BenchScale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full compaction of five sorted runs of 100,000 rows each (keys interleaved across runs, so every
 * output block merges all five), Floe beside RocksDB's {@code compactRange} and Apache Paimon's full
 * compaction, committed (same rows, LZ4). Single
 * shot: each iteration builds the runs anew, then the measured call merges them. Compaction MB/s of
 * input = {@link Input#inputMegabytes} / score (seconds).
 *
 * <p>Last in each iteration's setup, the free memory is brought to the same state for every peer
 * ({@link #hostPages}), because on a VM that hands freed memory back to its host the pages a
 * compaction writes into can cost more than the merge's own differences.
 *
 * <p>Three warm-up compactions: Floe's second compaction in a fresh JVM still ran at about 2.5x the
 * CPU time of the later ones (JIT compilation of the merge and encode loops; measured with the
 * process CPU time per compaction), so with one warm-up the first measured iteration was mostly
 * that. RocksDB's compaction is native code and needs none; it gets the same iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class KernelCompactionBench {
    static final int RUNS = 5;
    static final int ROWS_PER_RUN = 100_000;

    @Param({"floe", "rocksdb", "paimon"})
    public String peer;

    /** Tuning parameters, each at the default only (sweep with {@code -p}): see {@link KernelWriteBench}. */
    @Param({"4"})
    public int columns;

    @Param({"100"})
    public int valueBytes;

    @Param({"LZ4"})
    public String codec;

    /**
     * The state of the free memory the compaction's output pages come from, the same for every peer:
     * warm, cold or asis ({@link HostPages}; on the benchmark VM, RocksDB's time moved by half between
     * cold and warm, and "asis" favoured it).
     */
    @Param({"warm"})
    public String hostPages;

    /** {@value #ROWS_PER_RUN}, fewer in a smoke run ({@link BenchScale}). */
    final int rowsPerRun = BenchScale.rows(ROWS_PER_RUN, 4_000);
    KernelBenchData data;
    KernelPeer engine;

    /** Reports the bytes of input rows of the measured compaction (key + row), in MB. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Input {
        public double inputMegabytes;
    }

    @Setup(Level.Trial)
    public void data() {
        long[] ids = new long[RUNS * rowsPerRun];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i; // run r holds ids r, r + 5, r + 10, ...
        }
        data = new KernelBenchData(ids, 11, columns, valueBytes);
    }

    @Setup(Level.Iteration)
    public void buildRuns() {
        engine = KernelPeer.create(peer, KernelPeerConfig.of(data, codec, KernelPeerConfig.DEFAULT_MEMTABLE_MIB, false));
        engine.prepare(data);
        for (int r = 0; r < RUNS; r++) {
            for (int i = r; i < RUNS * rowsPerRun; i += RUNS) {
                engine.put(data, i);
            }
            engine.flush();
        }
        HostPages.of(hostPages).prepare(BenchScale.smoke());
    }

    @TearDown(Level.Iteration)
    public void close() {
        engine.close();
    }

    @Benchmark
    public void compactAll(Input input) {
        engine.compactAll();
        input.inputMegabytes = (double) RUNS * rowsPerRun * (KernelBenchData.KEY_BYTES + data.rowBytes) / 1e6;
    }
}
