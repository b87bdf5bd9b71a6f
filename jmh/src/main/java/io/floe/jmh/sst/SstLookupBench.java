package io.floe.jmh.sst;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.sst.Codec;
import io.floe.sst.PointLookup;
import io.floe.sst.SstOptions;
import io.floe.sst.SstReader;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Point lookups of random keys in a 1 M-row file (id, 2 BIGINT, 2 STRING; LZ4; 4 KiB pages so that
 * a hit decodes small pages): hits (random present ids) and misses (9-byte keys that sort between two
 * present ids, inside every range check, so the bloom filter answers ~99% of them). The file's
 * pages come from the OS page cache.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SstLookupBench {
    static final int ROWS = 1_000_000;

    private Path dir;
    private OffHeapAllocator allocator;
    private SstReader reader;
    private PointLookup lookup;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
    private final UnsafeBuffer missKey = new UnsafeBuffer(new byte[9]);
    private final SplittableRandom random = new SplittableRandom(1);

    @Setup(Level.Trial)
    public void setup() {
        dir = SstBenchData.tempDir();
        allocator = new OffHeapAllocator("bench", Long.MAX_VALUE);
        Path path = dir.resolve("lookup.sst");
        SstBenchData.write(path, SstBenchData.schema(2, 2), SstOptions.defaults().withCodec(Codec.LZ4).withPage(4 << 10, 1 << 16), ROWS, allocator);
        reader = SstReader.open(path, allocator);
        lookup = reader.newLookup();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lookup.close();
        reader.close();
        allocator.assertNoLeaks();
        SstBenchData.delete(dir);
    }

    @Benchmark
    public long getHit() {
        key.putLong(0, random.nextLong(ROWS) ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
        return lookup.get(key, 0, 8, Long.MAX_VALUE) ? lookup.row().getLong(1) : 0;
    }

    @Benchmark
    public long getMiss() {
        // Keys between two present ids: 9 bytes, an id's key followed by a zero byte.
        UnsafeBuffer k = missKey;
        k.putLong(0, random.nextLong(ROWS - 1) ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
        return lookup.get(k, 0, 9, Long.MAX_VALUE) ? 1 : 0;
    }
}
