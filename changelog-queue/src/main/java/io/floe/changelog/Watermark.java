package io.floe.changelog;

import static io.floe.changelog.WatermarkLayout.*;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import io.floe.common.error.FloeIOException;
import io.floe.common.io.DurableFiles;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The memory-mapped {@link WatermarkLayout watermark file}: the committed watermark, the last
 * checkpoint id and the release point, shared by the writer and every tailer on the host.
 *
 * <p>Memory: the file is mapped by {@link #openForWriter} (read-write) or {@link #openForReader}
 * (read-only) and unmapped by {@link #close()}; callers must not read after close.
 *
 * <p>Ordering: the writer writes a slot with plain stores, then publishes the live fields with
 * release stores, the committed seq last ({@link UnsafeBuffer#putLongRelease}); readers load the
 * committed seq with an acquire load ({@link UnsafeBuffer#getLongAcquire}). Both sides go through
 * the same shared mapping, so this pairing holds across processes.
 *
 * <p>Threads: the read accessors are safe from any thread; {@link #publish} is guarded by this
 * object's monitor (the writer thread commits, a flush thread may release).
 */
final class Watermark implements AutoCloseable {
    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final FileChannel channel;
    /** The last state written or recovered; guarded by {@code this}. */
    private WatermarkState state;
    private final boolean salvagedDamage;

    private Watermark(Path file, MappedByteBuffer mapped, FileChannel channel, WatermarkState state, boolean salvagedDamage) {
        this.file = file;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
        this.channel = channel;
        this.state = state;
        this.salvagedDamage = salvagedDamage;
    }

    /**
     * Opens (creating it atomically if missing) the watermark file in {@code dir} for the single
     * writer, recovers the newest valid slot and republishes the live fields from it.
     * Throws {@link CorruptionException} if the header is wrong, or both slots are damaged and
     * {@code mode} is STRICT; {@link FloeIOException} if the file cannot be created or mapped.
     */
    static Watermark openForWriter(Path dir, RecoveryMode mode) {
        Path path = dir.resolve(FILE_NAME);
        try {
            if (!Files.exists(path)) {
                create(path);
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                checkLength(path, channel.size());
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_LENGTH);
                UnsafeBuffer view = new UnsafeBuffer(mapped);
                checkHeader(path, view);
                WatermarkState s0 = readSlot(view, SLOT_0_OFFSET);
                WatermarkState s1 = readSlot(view, SLOT_0_OFFSET + SLOT_LENGTH);
                boolean damaged0 = s0 == null && !isZero(view, SLOT_0_OFFSET);
                boolean damaged1 = s1 == null && !isZero(view, SLOT_0_OFFSET + SLOT_LENGTH);
                WatermarkState best = s0 == null ? s1 : s1 == null ? s0 : s0.generation() >= s1.generation() ? s0 : s1;
                if (best == null && (damaged0 || damaged1) && mode == RecoveryMode.STRICT) {
                    throw new CorruptionException(path.toString(), damaged0 ? SLOT_0_OFFSET : SLOT_0_OFFSET + SLOT_LENGTH,
                            "both watermark slots fail their checksum");
                }
                Watermark w = new Watermark(path, mapped, channel, best == null ? WatermarkState.EMPTY : best,
                        best == null && (damaged0 || damaged1));
                w.publishLive(w.state);
                return w;
            } catch (RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw FloeIOException.of("open watermark file", path, e);
        }
    }

    /**
     * Maps the watermark file in {@code dir} read-only, for tailers of another process.
     * Throws {@link FloeIOException} if it does not exist (no writer ever opened this changelog),
     * {@link CorruptionException} if its header is wrong.
     */
    static Watermark openForReader(Path dir) {
        Path path = dir.resolve(FILE_NAME);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            checkLength(path, channel.size());
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, FILE_LENGTH);
            checkHeader(path, new UnsafeBuffer(mapped));
            return new Watermark(path, mapped, null, null, false);
        } catch (NoSuchFileException e) {
            throw new FloeIOException("open changelog for reading (no writer has created it)", path, e);
        } catch (IOException e) {
            throw FloeIOException.of("open watermark file", path, e);
        }
    }

    private static void create(Path path) {
        ByteBuffer header = ByteBuffer.allocate(FILE_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION)
                .putLong(LIVE_COMMITTED_SEQ_OFFSET, -1).putLong(LIVE_CHECKPOINT_ID_OFFSET, -1)
                .putLong(LIVE_RELEASED_SEQ_OFFSET, -1);
        DurableFiles.writeAtomically(path, header.array());
    }

    private static void checkLength(Path path, long size) {
        if (size < FILE_LENGTH) {
            throw new CorruptionException(path.toString(), size, "watermark file is " + size + " bytes, expected " + FILE_LENGTH);
        }
    }

    private static void checkHeader(Path path, UnsafeBuffer view) {
        if (view.getLong(MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) != MAGIC) {
            throw new CorruptionException(path.toString(), MAGIC_OFFSET, "not a Floe watermark file (bad magic)");
        }
        int version = view.getInt(VERSION_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (version != VERSION) {
            throw new CorruptionException(path.toString(), VERSION_OFFSET, "unknown watermark format version " + version);
        }
    }

    private static WatermarkState readSlot(UnsafeBuffer view, int offset) {
        long generation = view.getLong(offset + SLOT_GENERATION, ByteOrder.LITTLE_ENDIAN);
        int crc = view.getInt(offset + SLOT_CRC, ByteOrder.LITTLE_ENDIAN);
        if (generation <= 0 || crc != Checksums.crc32c(view, offset, SLOT_CRC)) {
            return null;
        }
        return new WatermarkState(generation,
                view.getLong(offset + SLOT_CHECKPOINT_ID, ByteOrder.LITTLE_ENDIAN),
                view.getLong(offset + SLOT_COMMITTED_SEQ, ByteOrder.LITTLE_ENDIAN),
                view.getLong(offset + SLOT_COMMITTED_INDEX, ByteOrder.LITTLE_ENDIAN),
                view.getLong(offset + SLOT_RELEASED_SEQ, ByteOrder.LITTLE_ENDIAN));
    }

    private static boolean isZero(UnsafeBuffer view, int offset) {
        for (int i = 0; i < SLOT_LENGTH; i += 8) {
            if (view.getLong(offset + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Returns the path of the watermark file. */
    Path file() {
        return file;
    }

    /** Returns the committed seq, or -1; an acquire load (pairs with the release in {@link #publish}). */
    long committedSeq() {
        return fromLittleEndian(buffer.getLongAcquire(LIVE_COMMITTED_SEQ_OFFSET));
    }

    /** Returns the last committed checkpoint id, or -1; may lag {@link #committedSeq()} by one commit. */
    long checkpointId() {
        return fromLittleEndian(buffer.getLongAcquire(LIVE_CHECKPOINT_ID_OFFSET));
    }

    /** Returns the highest seq held in a released queue file, or -1; an acquire load. */
    long releasedSeq() {
        return fromLittleEndian(buffer.getLongAcquire(LIVE_RELEASED_SEQ_OFFSET));
    }

    /** Returns iff recovery found both slots damaged and salvaged by starting from nothing. */
    boolean salvagedDamage() {
        return salvagedDamage;
    }

    /** Returns the writer's current durable state. Requires: opened for writing. */
    synchronized WatermarkState state() {
        return state;
    }

    /**
     * Writes {@code next} into its slot, fsyncs the file iff {@code fsync}, then publishes the
     * live fields. Requires: opened for writing; {@code next.generation() == state().generation() + 1}.
     * Throws {@link FloeIOException} if the fsync fails.
     */
    synchronized void publish(WatermarkState next, boolean fsync) {
        FaultPoints.point(FaultPoint.WATERMARK_PUBLISH);
        if (next.generation() != state.generation() + 1) {
            throw new IllegalStateException("watermark generation " + next.generation() + " does not follow " + state.generation());
        }
        int slot = slotOffset(next.generation());
        buffer.putLong(slot + SLOT_GENERATION, next.generation(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(slot + SLOT_CHECKPOINT_ID, next.checkpointId(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(slot + SLOT_COMMITTED_SEQ, next.committedSeq(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(slot + SLOT_COMMITTED_INDEX, next.committedIndex(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(slot + SLOT_RELEASED_SEQ, next.releasedSeq(), ByteOrder.LITTLE_ENDIAN);
        buffer.setMemory(slot + 40, SLOT_CRC - 40, (byte) 0);
        buffer.putInt(slot + SLOT_CRC, Checksums.crc32c(buffer, slot, SLOT_CRC), ByteOrder.LITTLE_ENDIAN);
        if (fsync) {
            try {
                FaultPoints.io(FaultPoint.WATERMARK_FSYNC, file);
                channel.force(false);
            } catch (IOException e) {
                throw FloeIOException.of("fsync watermark file", file, e);
            }
            FaultPoints.synced(file);
        }
        state = next;
        publishLive(next);
    }

    private void publishLive(WatermarkState s) {
        buffer.putLongRelease(LIVE_RELEASED_SEQ_OFFSET, toLittleEndian(s.releasedSeq()));
        buffer.putLongRelease(LIVE_CHECKPOINT_ID_OFFSET, toLittleEndian(s.checkpointId()));
        buffer.putLongRelease(LIVE_COMMITTED_SEQ_OFFSET, toLittleEndian(s.committedSeq()));
    }

    private static long toLittleEndian(long v) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? v : Long.reverseBytes(v);
    }

    private static long fromLittleEndian(long v) {
        return toLittleEndian(v);
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw FloeIOException.of("close watermark file", file, e);
            }
        }
    }
}
