package io.floe.sst;

import io.floe.common.error.CorruptionException;
import io.floe.common.error.FloeIOException;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An open SST file read by positional I/O ({@link FileChannel#read(ByteBuffer, long)}), which is
 * safe from many threads at once and keeps no shared position. Every read is checked against the
 * file's size (taken once at open: SSTs are immutable) before it is issued.
 *
 * <p>Why not mmap: a mapped file that shrinks under the reader turns a read into SIGBUS (a JVM
 * {@code InternalError} at best), Java 17 cannot unmap deterministically, and the page decode that
 * follows every read copies the bytes anyway; the JMH peer measurement is in docs/bench/sst.md.
 *
 * <p>Threads: safe for concurrent reads; {@link #close()} once, after every reader is done.
 */
final class SstFile implements AutoCloseable {
    private final Path path;
    private final String name;
    private final FileChannel channel;
    private final long size;

    SstFile(Path path) {
        this.path = path;
        this.name = path.toString();
        try {
            FaultPoints.io(FaultPoint.SST_OPEN, path);
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
            this.size = channel.size();
        } catch (IOException e) {
            throw FloeIOException.of("open SST", path, e);
        }
    }

    String name() {
        return name;
    }

    long size() {
        return size;
    }

    /**
     * Reads {@code file[offset, offset + length)} into {@code dst} at 0 (growing it) and returns
     * the view. Throws {@link CorruptionException} if the range lies outside the file,
     * {@link FloeIOException} on an I/O error.
     */
    UnsafeBuffer read(long offset, int length, Region dst, String what) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new CorruptionException(name, offset, what + " of " + length + " bytes at " + offset + " lies outside the file of " + size + " bytes");
        }
        dst.ensure(length, 0);
        UnsafeBuffer view = dst.buffer();
        ByteBuffer bb = dst.ioBuffer(length);
        try {
            FaultPoints.io(FaultPoint.SST_READ, path);
            long at = offset;
            while (bb.hasRemaining()) {
                int n = channel.read(bb, at);
                if (n < 0) {
                    throw new CorruptionException(name, at, what + ": the file ends early (it shrank after open)");
                }
                at += n;
            }
        } catch (IOException e) {
            throw FloeIOException.of("read SST", path, e);
        }
        return view;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw FloeIOException.of("close SST", path, e);
        }
    }
}
