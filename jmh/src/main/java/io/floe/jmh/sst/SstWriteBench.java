package io.floe.jmh.sst;

import io.floe.common.RowKind;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.sst.Codec;
import io.floe.sst.SstOptions;
import io.floe.sst.SstWriter;
import java.nio.ByteOrder;
import java.nio.file.Files;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writes a 200,000-entry file (id, 2 BIGINT, 2 STRING) per codec from rows prepared off-heap in
 * advance, including fsync and rename. Reports ms per file; MB/s = {@link #inputBytes} / time
 * (the bytes of keys and binary rows handed to the writer).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SstWriteBench {
    static final int ROWS = 200_000;

    @Param({"NONE", "LZ4", "ZSTD"})
    public String codec;

    private Path dir;
    private OffHeapAllocator allocator;
    private Schema schema;
    private UnsafeBuffer rows;
    private int[] rowOffsets;
    private int file;
    /** Bytes of keys and rows per file, printed at setup. */
    public long inputBytes;

    @Setup(Level.Trial)
    public void setup() {
        dir = SstBenchData.tempDir();
        allocator = new OffHeapAllocator("bench", Long.MAX_VALUE);
        schema = SstBenchData.schema(2, 2);
        SplittableRandom r = new SplittableRandom(3);
        rowOffsets = new int[ROWS + 1];
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try (RowWriter row = new RowWriter(schema, allocator)) {
            for (int i = 0; i < ROWS; i++) {
                row.reset().setLong(0, i).setLong(1, SstBenchData.LONGS[r.nextInt(256)]).setLong(2, i * 3L)
                        .setString(3, SstBenchData.WORDS[r.nextInt(512)]).setString(4, SstBenchData.WORDS[r.nextInt(512)]);
                row.complete();
                byte[] bytes = row.toByteArray();
                all.writeBytes(bytes);
                rowOffsets[i + 1] = rowOffsets[i] + bytes.length;
            }
        }
        byte[] bytes = all.toByteArray();
        rows = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(bytes.length));
        rows.putBytes(0, bytes);
        inputBytes = bytes.length + 8L * ROWS;
        System.out.println("[write] input bytes per file: " + inputBytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        allocator.assertNoLeaks();
        SstBenchData.delete(dir);
    }

    @Benchmark
    public long writeFile() throws Exception {
        Path path = dir.resolve("w" + (file++) + ".sst");
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        long size;
        try (SstWriter w = SstWriter.open(path, schema, SstOptions.defaults().withCodec(Codec.valueOf(codec)), allocator)) {
            for (int i = 0; i < ROWS; i++) {
                key.putLong(0, i ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
                w.add(key, 0, 8, i + 1, RowKind.INSERT, rows, rowOffsets[i], rowOffsets[i + 1] - rowOffsets[i]);
            }
            size = w.finish().fileSize();
        }
        Files.delete(path);
        return size;
    }
}
