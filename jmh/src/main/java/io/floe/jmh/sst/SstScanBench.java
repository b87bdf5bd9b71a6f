package io.floe.jmh.sst;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import io.floe.common.schema.Schema;
import io.floe.sst.Codec;
import io.floe.sst.ColumnBatch;
import io.floe.sst.ScanSpec;
import io.floe.sst.SstOptions;
import io.floe.sst.SstReader;
import io.floe.sst.SstScan;
import io.floe.sst.ValueVector;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
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
 * Full scans of one BIGINT and one STRING column per codec, against peers measured on the same
 * bytes in the same run: memcpy ({@code UnsafeBuffer.putBytes}) of the BIGINT column's 8 bytes per
 * row, raw lz4-java and zstd-jni decompression of that column's bytes in 64 KiB blocks, and
 * summing an Arrow {@code BigIntVector}. Every benchmark touches {@link #ROWS} rows per operation
 * and reports ns per row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SstScanBench.ROWS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SstScanBench {
    static final int ROWS = 2_000_000;
    static final int BLOCK = 64 << 10;

    @Param({"NONE", "LZ4", "ZSTD"})
    public String codec;

    private Path dir;
    private OffHeapAllocator allocator;
    private SstReader reader;
    private OffHeapBlock plain;
    private OffHeapBlock copy;
    private OffHeapBlock compressed;
    private int[] blockOffsets;
    private int[] blockLengths;
    private LZ4SafeDecompressor lz4 = LZ4Factory.fastestInstance().safeDecompressor();
    private ZstdDecompressCtx zstd;
    private RootAllocator arrow;
    private BigIntVector arrowVector;

    @Setup(Level.Trial)
    public void setup() {
        dir = SstBenchData.tempDir();
        allocator = new OffHeapAllocator("bench", Long.MAX_VALUE);
        Schema schema = SstBenchData.schema(1, 1);
        Path path = dir.resolve("scan.sst");
        SstBenchData.write(path, schema, SstOptions.defaults().withCodec(Codec.valueOf(codec)).withZstdLevel(3), ROWS, allocator);
        reader = SstReader.open(path, allocator);
        // The peers' bytes: the v0 column as 8-byte little-endian values, exactly what the scan decodes.
        plain = allocator.allocate(MemoryPurpose.OTHER, ROWS * 8);
        copy = allocator.allocate(MemoryPurpose.OTHER, ROWS * 8);
        try (SstScan scan = reader.scan(ScanSpec.of("v0"))) {
            int at = 0;
            while (scan.next()) {
                ValueVector v = scan.batch().vector(0);
                plain.buffer().putBytes(at, v.values(), 0, v.size() * 8);
                at += v.size() * 8;
            }
        }
        int blocks = (ROWS * 8 + BLOCK - 1) / BLOCK;
        blockOffsets = new int[blocks];
        blockLengths = new int[blocks];
        compressed = allocator.allocate(MemoryPurpose.OTHER, (int) Math.max(Zstd.compressBound(ROWS * 8L), ROWS * 9L) + blocks * 64);
        LZ4Compressor lz4c = LZ4Factory.fastestInstance().fastCompressor();
        try (ZstdCompressCtx zc = new ZstdCompressCtx().setLevel(3)) {
            int out = 0;
            for (int b = 0; b < blocks; b++) {
                int from = b * BLOCK;
                int len = Math.min(BLOCK, ROWS * 8 - from);
                blockOffsets[b] = out;
                ByteBuffer src = plain.byteBuffer();
                ByteBuffer dst = compressed.byteBuffer();
                blockLengths[b] = codec.equals("ZSTD")
                        ? zc.compressDirectByteBuffer(dst, out, dst.capacity() - out, src, from, len)
                        : lz4c.compress(src, from, len, dst, out, dst.capacity() - out);
                out += blockLengths[b];
            }
        }
        zstd = new ZstdDecompressCtx();
        arrow = new RootAllocator();
        arrowVector = new BigIntVector("v", arrow);
        arrowVector.allocateNew(ROWS);
        for (int i = 0; i < ROWS; i++) {
            arrowVector.set(i, plain.buffer().getLong(i * 8));
        }
        arrowVector.setValueCount(ROWS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arrowVector.close();
        arrow.close();
        zstd.close();
        reader.close();
        plain.close();
        copy.close();
        compressed.close();
        allocator.assertNoLeaks();
        SstBenchData.delete(dir);
    }

    /** Sums the BIGINT column v0 through a scan (read, checksum, decompress, decode). */
    @Benchmark
    public long scanBigint() {
        long sum = 0;
        try (SstScan scan = reader.scan(ScanSpec.of("v0"))) {
            while (scan.next()) {
                ColumnBatch b = scan.batch();
                ValueVector v = b.vector(0);
                UnsafeBuffer values = v.values();
                int n = v.size();
                for (int i = 0; i < n; i++) {
                    sum += values.getLong(i << 3);
                }
            }
        }
        return sum;
    }

    /** Sums the lengths and first bytes of the STRING column s0 through a scan. */
    @Benchmark
    public long scanString() {
        long sum = 0;
        try (SstScan scan = reader.scan(ScanSpec.of("s0"))) {
            while (scan.next()) {
                ValueVector v = scan.batch().vector(0);
                UnsafeBuffer data = v.data();
                int n = v.size();
                for (int i = 0; i < n; i++) {
                    sum += v.length(i) + data.getByte(v.offset(i));
                }
            }
        }
        return sum;
    }

    /** Peer: memcpy of the BIGINT column's bytes (8 per row), one call. */
    @Benchmark
    public long memcpyBigint() {
        copy.buffer().putBytes(0, plain.buffer(), 0, ROWS * 8);
        return copy.buffer().getLong(8 * (ROWS - 1));
    }

    /** Peer: decompression alone of the BIGINT column's bytes in 64 KiB blocks, with the parameter's codec (NONE: memcpy per block). */
    @Benchmark
    public long rawDecompressBigint() {
        ByteBuffer src = compressed.byteBuffer();
        ByteBuffer dst = copy.byteBuffer();
        long total = 0;
        for (int b = 0; b < blockOffsets.length; b++) {
            int len = Math.min(BLOCK, ROWS * 8 - b * BLOCK);
            switch (codec) {
                case "LZ4" -> total += lz4.decompress(src, blockOffsets[b], blockLengths[b], dst, b * BLOCK, len);
                case "ZSTD" -> total += zstd.decompressDirectByteBuffer(dst, b * BLOCK, len, src, blockOffsets[b], blockLengths[b]);
                default -> {
                    copy.buffer().putBytes(b * BLOCK, plain.buffer(), b * BLOCK, len);
                    total += len;
                }
            }
        }
        return total;
    }

    /** Peer: summing an Arrow BigIntVector holding the same values. */
    @Benchmark
    public long arrowSum() {
        long sum = 0;
        BigIntVector v = arrowVector;
        for (int i = 0; i < ROWS; i++) {
            sum += v.get(i);
        }
        return sum;
    }
}
