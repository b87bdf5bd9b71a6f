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
 * Reads of a table of 500,000 rows (100-byte rows, 8-byte keys), either compacted into one sorted
 * run or left as five runs with interleaved keys (every read merges five): full scans in key order
 * and point lookups of random present keys, Floe beside RocksDB (same rows, LZ4, block cache at its
 * default) and Apache Paimon (same rows, LZ4, Parquet files; lookups through its
 * {@code LocalTableQuery}: see {@link PaimonPeer}). Average time per row scanned and per lookup;
 * files are in the page cache.
 *
 * <p>Tuning parameters (each annotation holds only the default; sweep with {@code -p name=v1,v2}
 * or {@code ./floe bench --sweep}): {@code distribution} of the probed keys ({@link
 * KeyDistribution}: sequential probes walk the key space in order from a random start),
 * {@code columns} and {@code valueBytes} of the rows, {@code codec}, the scan's {@code projection}
 * ({@code all}, or one column's name, e.g. {@code qty}: Floe and Paimon then read only that column
 * from their files; RocksDB, a row store, reads whole rows either way). Concurrent lookups: JMH's
 * {@code -t N} (a thread count cannot be a JMH parameter); each thread has its own lookup handle.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class KernelReadBench {
    static final int RUNS = 5;
    static final int ROWS = 500_000;
    static final int LOOKUPS = 1_000;

    @Param({"floe", "rocksdb", "paimon"})
    public String peer;

    @Param({"compacted", "runs5"})
    public String shape;

    @Param({"uniform"})
    public String distribution;

    @Param({"4"})
    public int columns;

    @Param({"100"})
    public int valueBytes;

    @Param({"LZ4"})
    public String codec;

    @Param({"all"})
    public String projection;

    /** {@value #ROWS}, fewer in a smoke run ({@link BenchScale}). */
    final int rows = BenchScale.rows(ROWS, 20_000);
    KernelBenchData data;
    KernelPeer engine;
    int[] probes;

    @Setup(Level.Trial)
    public void load() {
        long[] ids = new long[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
        }
        data = new KernelBenchData(ids, 13, columns, valueBytes);
        engine = KernelPeer.create(peer, KernelPeerConfig.of(data, codec, KernelPeerConfig.DEFAULT_MEMTABLE_MIB, false));
        engine.prepare(data);
        for (int r = 0; r < RUNS; r++) {
            for (int i = r; i < rows; i += RUNS) {
                engine.put(data, i);
            }
            engine.flush();
        }
        if (shape.equals("compacted")) {
            engine.compactAll();
        }
        // ids[i] == i, so a probed id is also the index of its row.
        long[] probed = KeyDistribution.parse(distribution).ids(LOOKUPS, rows, 17);
        probes = new int[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            probes[i] = (int) probed[i];
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        engine.close();
    }

    /** A full scan in key order; the score is per row. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long scan() {
        return projection.equals("all") ? engine.scanAll() : engine.scanColumn(projection);
    }

    /** The point-lookup handle of one benchmark thread (JMH's {@code -t} runs several at once). */
    @State(Scope.Thread)
    public static class ThreadReader {
        KernelPeer.Reader reader;

        @Setup(Level.Trial)
        public void open(KernelReadBench bench) {
            reader = bench.engine.newReader();
        }

        @TearDown(Level.Trial)
        public void close() {
            reader.close();
        }
    }

    /** {@value #LOOKUPS} point lookups of present keys in random order; the score is per lookup (per thread). */
    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public int get(ThreadReader thread) {
        int found = 0;
        for (int p : probes) {
            if (thread.reader.get(data, p)) {
                found++;
            }
        }
        if (found != LOOKUPS) {
            throw new IllegalStateException(peer + " found " + found + " of " + LOOKUPS + " present keys");
        }
        return found;
    }
}
