package io.floe.jmh.sst;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.sst.Codec;
import io.floe.sst.ColumnBatch;
import io.floe.sst.ScanSpec;
import io.floe.sst.SstOptions;
import io.floe.sst.SstReader;
import io.floe.sst.SstScan;
import io.floe.sst.ValueVector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** A 20-column file (id, 14 BIGINT, 5 STRING; LZ4): scanning 2 columns against scanning all 20. ns per row. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SstProjectionBench.ROWS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SstProjectionBench {
    static final int ROWS = 300_000;

    private Path dir;
    private OffHeapAllocator allocator;
    private SstReader reader;
    private ScanSpec all;
    private ScanSpec two;

    @Setup(Level.Trial)
    public void setup() {
        dir = SstBenchData.tempDir();
        allocator = new OffHeapAllocator("bench", Long.MAX_VALUE);
        Schema schema = SstBenchData.schema(14, 5);
        Path path = dir.resolve("wide.sst");
        SstBenchData.write(path, schema, SstOptions.defaults().withCodec(Codec.LZ4), ROWS, allocator);
        reader = SstReader.open(path, allocator);
        List<String> names = new ArrayList<>();
        schema.columns().forEach(c -> names.add(c.name()));
        all = new ScanSpec(names, null, null, null);
        two = ScanSpec.of("v3", "s1");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reader.close();
        allocator.assertNoLeaks();
        SstBenchData.delete(dir);
    }

    private long scan(ScanSpec spec) {
        long sum = 0;
        try (SstScan scan = reader.scan(spec)) {
            while (scan.next()) {
                ColumnBatch b = scan.batch();
                for (int c = 0; c < b.columnCount(); c++) {
                    ValueVector v = b.vector(c);
                    sum += v.isVariable() ? v.dataLength() : v.getLong(v.size() - 1);
                }
            }
        }
        return sum;
    }

    @Benchmark
    public long scanAll20Columns() {
        return scan(all);
    }

    @Benchmark
    public long scan2Of20Columns() {
        return scan(two);
    }
}
