package io.floe.jmh.changelog;

import io.floe.changelog.ChangelogOptions;
import io.floe.changelog.RollPeriod;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What both changelog benchmarks share: a scratch directory, a manual clock that the benchmarks
 * step forward one roll period per iteration (so old files can be deleted between iterations and
 * the disk does not fill), the 8-byte key and 100-byte row Floe appends, and the identical
 * 132-byte record image the raw Chronicle peer appends.
 *
 * <p>Memory: key and row are off-heap blocks from a private allocator, freed by {@link #close()}.
 * Threads: set up and closed by JMH's setup thread; the buffers are read by the benchmark thread.
 */
final class ChangelogBenchSupport implements AutoCloseable {
    static final int KEY_BYTES = 8;
    static final int ROW_BYTES = 100;
    /** Floe's record: 24-byte header, key, row. */
    static final int RECORD_BYTES = 24 + KEY_BYTES + ROW_BYTES;
    static final long BLOCK_SIZE = 64L << 20;

    final Path dir;
    final AtomicLong clock = new AtomicLong(System.currentTimeMillis() / RollPeriod.FIVE_MINUTELY.millis()
            * RollPeriod.FIVE_MINUTELY.millis());
    final UnsafeBuffer key;
    final UnsafeBuffer row;
    private final OffHeapAllocator allocator = new OffHeapAllocator("changelog-bench", Long.MAX_VALUE);
    private final OffHeapBlock keyBlock;
    private final OffHeapBlock rowBlock;

    ChangelogBenchSupport(String name) {
        try {
            dir = Files.createTempDirectory("floe-bench-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keyBlock = allocator.allocate(MemoryPurpose.OTHER, KEY_BYTES);
        rowBlock = allocator.allocate(MemoryPurpose.OTHER, ROW_BYTES);
        key = keyBlock.buffer();
        row = rowBlock.buffer();
        for (int i = 0; i < ROW_BYTES; i++) {
            row.putByte(i, (byte) (i * 7 + 1));
        }
    }

    ChangelogOptions floeOptions() {
        return ChangelogOptions.defaults(dir.resolve("floe")).withRollPeriod(RollPeriod.FIVE_MINUTELY)
                .withBlockSizeBytes(BLOCK_SIZE).withClockMillis(clock::get);
    }

    SingleChronicleQueue rawQueue() {
        return SingleChronicleQueueBuilder.binary(dir.resolve("raw")).rollCycle(RollCycles.FIVE_MINUTELY)
                .blockSize(BLOCK_SIZE).timeProvider(clock::get).build();
    }

    /** Returns a 132-byte image (header zeros, key, row) for the raw peer. Caller releases it. */
    Bytes<?> rawImage() {
        Bytes<?> image = Bytes.allocateDirect(RECORD_BYTES);
        image.writeSkip(24);
        for (int i = 0; i < KEY_BYTES; i++) {
            image.writeByte(key.getByte(i));
        }
        for (int i = 0; i < ROW_BYTES; i++) {
            image.writeByte(row.getByte(i));
        }
        return image;
    }

    /** Moves the clock to the next roll period: the next append starts a new file. */
    void nextPeriod() {
        clock.addAndGet(RollPeriod.FIVE_MINUTELY.millis());
    }

    /** Deletes every raw queue file but the newest. */
    void deleteOldRawFiles() {
        try (Stream<Path> files = Files.list(dir.resolve("raw"))) {
            List<Path> cq4 = files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
            for (int i = 0; i < cq4.size() - 1; i++) {
                Files.deleteIfExists(cq4.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        keyBlock.close();
        rowBlock.close();
        allocator.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
