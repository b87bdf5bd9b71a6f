package io.floe.jmh.sst;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * How the reader should fetch a page (the choice in {@code SstFile}): a positional read into an
 * off-heap buffer against copying the same range out of a mapping, for random pages of a 64 MiB
 * file in the page cache. Both end with the page in a private off-heap buffer, as the decoder needs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SstIoBench {
    static final int FILE = 64 << 20;

    @Param({"4096", "65536"})
    public int pageBytes;

    private Path dir;
    private FileChannel channel;
    private MappedByteBuffer map;
    private UnsafeBuffer mapped;
    private ByteBuffer buffer;
    private UnsafeBuffer view;
    private final SplittableRandom random = new SplittableRandom(5);

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = SstBenchData.tempDir();
        Path path = dir.resolve("io.bin");
        byte[] bytes = new byte[FILE];
        new SplittableRandom(1).nextBytes(bytes);
        Files.write(path, bytes);
        channel = FileChannel.open(path, StandardOpenOption.READ);
        map = channel.map(FileChannel.MapMode.READ_ONLY, 0, FILE);
        mapped = new UnsafeBuffer(map);
        buffer = ByteBuffer.allocateDirect(pageBytes);
        view = new UnsafeBuffer(buffer);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        SstBenchData.delete(dir);
    }

    @Benchmark
    public long pread() throws IOException {
        long at = (long) random.nextInt(FILE / pageBytes) * pageBytes;
        buffer.clear();
        while (buffer.hasRemaining()) {
            channel.read(buffer, at + buffer.position());
        }
        return view.getLong(0);
    }

    @Benchmark
    public long mmapCopy() {
        int at = random.nextInt(FILE / pageBytes) * pageBytes;
        view.putBytes(0, mapped, at, pageBytes);
        return view.getLong(0);
    }
}
