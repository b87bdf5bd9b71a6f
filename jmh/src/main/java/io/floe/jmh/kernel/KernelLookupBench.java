package io.floe.jmh.kernel;

import io.floe.changelog.SyncMode;
import io.floe.jmh.BenchScale;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.Floe;
import io.floe.kernel.Lookup;
import io.floe.kernel.RowScan;
import io.floe.kernel.ScanOptions;
import io.floe.kernel.Snapshot;
import io.floe.kernel.Table;
import io.floe.kernel.options.CompactionOptions;
import io.floe.kernel.options.Compression;
import io.floe.kernel.options.CompressionOptions;
import io.floe.kernel.options.FileLayoutOptions;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Floe alone: what a table's SST page size ({@code file.page-size}, {@code file.page-rows}) costs
 * and buys. A table of 500,000 rows (100-byte rows of 4 columns, 8-byte keys, LZ4), written in five
 * interleaved runs and compacted into one; point lookups of random present keys through a
 * {@link Lookup} whose decoded-page cache holds {@code cacheBytes} (0: every lookup reads and decodes
 * its pages, the case of a table much larger than the cache), and full scans. Average time per
 * lookup and per row scanned; files are in the OS page cache. The setup prints the table's SST bytes.
 *
 * <p>Parameters (each annotation holds only the default, today's page size; sweep with
 * {@code -p pageBytes=4096,65536 -p cacheBytes=0,67108864}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC"})
public class KernelLookupBench {
    static final int RUNS = 5;
    static final int ROWS = 500_000;
    static final int LOOKUPS = 1_000;

    /** {@code file.page-size}: a page closes once a column holds this many raw bytes. */
    @Param({"65536"})
    public int pageBytes;

    /** {@code file.page-rows}: the most entries in a page. */
    @Param({"65536"})
    public int pageRows;

    /** The decoded-page budget of each benchmark thread's {@link Lookup}. */
    @Param({"67108864"})
    public long cacheBytes;

    /** {@value #ROWS}, fewer in a smoke run ({@link BenchScale}). */
    final int rows = BenchScale.rows(ROWS, 20_000);
    KernelBenchData data;
    Path dir;
    Floe floe;
    Table table;
    int[] probes;

    @Setup(Level.Trial)
    public void load() throws IOException {
        long[] ids = new long[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
        }
        data = new KernelBenchData(ids, 13);
        dir = Files.createTempDirectory("floe-lookup-bench");
        floe = Floe.open(dir, new FloeOptions(1, Long.MAX_VALUE), SyncMode.NONE);
        TableOptions options = TableOptions.defaults().withCompression(CompressionOptions.uniform(Compression.LZ4))
                .withWriteBuffer(new WriteBufferOptions(64L << 20, WriteBufferOptions.defaults().maxImmutableMemtables()))
                .withCompaction(new CompactionOptions(64, 10_000, 1_000, 2, 1_024))
                .withFileLayout(new FileLayoutOptions(pageBytes, pageRows));
        table = floe.table("t", data.schema, options);
        try (BucketWriter w = table.writer(0)) {
            for (int r = 0; r < RUNS; r++) {
                for (int i = r; i < rows; i += RUNS) {
                    w.upsert(data.rowView, i * data.rowBytes, data.rowBytes);
                }
                w.commit(r + 1);
                w.flush();
            }
        }
        table.compact(0);
        System.out.println("pageBytes=" + pageBytes + " pageRows=" + pageRows + ": SST bytes " + sstBytes());
        long[] probed = KeyDistribution.parse("uniform").ids(LOOKUPS, rows, 17);
        probes = new int[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            probes[i] = (int) probed[i];
        }
    }

    private long sstBytes() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".sst")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        table.close();
        floe.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full scan in key order; the score is per row. */
    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long scan() {
        long sum = 0;
        try (Snapshot snapshot = table.snapshot(); RowScan scan = snapshot.scan(0, ScanOptions.all())) {
            while (scan.next()) {
                sum += scan.row().getLong(0);
            }
        }
        return sum;
    }

    /** The lookup handle of one benchmark thread. */
    @State(Scope.Thread)
    public static class ThreadLookup {
        Lookup lookup;

        @Setup(Level.Trial)
        public void open(KernelLookupBench bench) {
            lookup = bench.table.newLookup().setCacheBudgetBytes(bench.cacheBytes);
        }

        @TearDown(Level.Trial)
        public void close() {
            lookup.close();
        }
    }

    /** {@value #LOOKUPS} point lookups of present keys in random order; the score is per lookup. */
    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public int get(ThreadLookup thread) {
        int found = 0;
        for (int p : probes) {
            if (thread.lookup.get(data.keyView, p * KernelBenchData.KEY_BYTES, KernelBenchData.KEY_BYTES)
                    && thread.lookup.row().getInt(1) >= 0) {
                found++;
            }
        }
        if (found != LOOKUPS) {
            throw new IllegalStateException("found " + found + " of " + LOOKUPS + " present keys");
        }
        return found;
    }
}
