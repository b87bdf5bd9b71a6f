package io.floe.sst;

import io.floe.common.error.FloeIOException;
import io.floe.common.io.DurableFiles;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import io.floe.common.io.WriteBehind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file written under a temporary name and published under its final name only when complete:
 * {@link #commit()} forces the data to disk, renames atomically and forces the directory;
 * {@link #abort()} deletes the temporary file. A failed write therefore never leaves a half file
 * under the final name. I/O errors raise {@link FloeIOException} ({@code DiskFullException} on ENOSPC).
 * Every few megabytes written, the device starts writing them in the background ({@link WriteBehind}),
 * so that the final fsync waits only for the last ones.
 *
 * <p>Threads: single owner.
 */
final class FileOutput implements AutoCloseable {
    private final Path path;
    private final Path temp;
    private final FileChannel channel;
    private final WriteBehind writeBehind;
    private long position;
    private boolean done;

    /** Creates {@code <path>.tmp}, replacing a stale one. Throws {@link FloeIOException} if the final file exists or creation fails. */
    FileOutput(Path path) {
        this.path = path;
        this.temp = path.resolveSibling(path.getFileName() + ".tmp");
        if (Files.exists(path)) {
            throw new FloeIOException("create SST", path, new java.nio.file.FileAlreadyExistsException(path.toString()));
        }
        try {
            FaultPoints.io(FaultPoint.SST_CREATE, temp);
            this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            FaultPoints.created(temp);
        } catch (IOException e) {
            throw FloeIOException.of("create SST", temp, e);
        }
        this.writeBehind = new WriteBehind(channel, WriteBehind.DEFAULT_BYTES_PER_SYNC);
    }

    Path path() {
        return path;
    }

    long position() {
        return position;
    }

    /** Writes the bytes of {@code sink} ({@code [0, position)}) at the end, through its region's kept I/O view (no allocation). */
    void write(ByteSink sink) {
        int length = sink.position();
        ByteBuffer bb = sink.region().ioBuffer(length);
        try {
            FaultPoints.io(FaultPoint.SST_WRITE, temp);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        } catch (IOException e) {
            throw FloeIOException.of("write SST", temp, e);
        }
        position += length;
        writeBehind.written(length);
    }

    /** Forces, closes and renames the file to its final name (atomically, with the directory fsynced). */
    void commit() {
        try {
            FaultPoints.io(FaultPoint.SST_FSYNC, temp);
            writeBehind.finish();
            channel.force(true);
            FaultPoints.synced(temp);
            channel.close();
        } catch (IOException e) {
            throw FloeIOException.of("publish SST", path, e);
        }
        DurableFiles.publish(temp, path);
        done = true;
    }

    /** Closes and deletes the temporary file; safe to call more than once and after commit (no-op). */
    void abort() {
        if (done) {
            return;
        }
        done = true;
        writeBehind.abandon();
        try {
            channel.close();
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            throw FloeIOException.of("delete temporary SST", temp, e);
        }
    }

    @Override
    public void close() {
        abort();
    }
}
