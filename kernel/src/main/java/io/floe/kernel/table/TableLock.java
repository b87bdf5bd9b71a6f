package io.floe.kernel.table;

import io.floe.common.error.FloeException;
import io.floe.common.error.FloeIOException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock on a table directory ({@code LOCK}, an OS file lock): one open table per
 * directory, in any process. The OS drops it when the process dies, so a crash never leaves the
 * table locked. Threads: close once, from any thread.
 */
public final class TableLock implements AutoCloseable {
    public static final String FILE = "LOCK";

    private final FileChannel channel;
    private final FileLock lock;

    private TableLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dir}. Throws {@link FloeException} if another open table holds it, {@link FloeIOException} on I/O errors. */
    public static TableLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                throw new FloeException("table " + dir + " is open in another process");
            }
            return new TableLock(ch, l);
        } catch (OverlappingFileLockException e) {
            close(ch);
            throw new FloeException("table " + dir + " is already open in this process");
        } catch (IOException e) {
            close(ch);
            throw FloeIOException.of("lock table", file, e);
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing to release beyond the handle.
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it too.
        }
        close(channel);
    }
}
