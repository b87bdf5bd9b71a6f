package io.floe.common.io;

import io.floe.common.Monitors;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts the writeback of a file being written before the fsync that publishes it, so that the fsync
 * finds little left to write. A writer that has written {@code bytesPerSync} more bytes asks for a
 * {@code force} of the file on a shared background thread and goes on writing; the device writes the
 * first megabytes while the writer encodes the next ones. Without it the whole file waits in the page
 * cache until the final fsync, which then stalls the writer for as long as the device needs for all of
 * it (about 20 ms for a 50 MB compaction output here), and a large compaction leaves the kernel a
 * burst of dirty pages to write at once. (RocksDB's {@code bytes_per_sync} does the same with
 * {@code sync_file_range}, which Java does not offer; a blocking {@code force} on another thread is
 * the portable way.)
 *
 * <p>An early force is only a head start: durability still comes from the writer's own final fsync,
 * which this never replaces, so a crash loses nothing that was acknowledged. A failed early force is
 * kept and reported by {@link #finish()} (the final fsync would fail too, but the first error names the
 * cause). At most one force per file is queued or running: asks while one is pending are dropped, the
 * next one covers their bytes.
 *
 * <p>The thread: one daemon thread for the JVM, started on demand, that ends after a second without
 * work, so that an embedding that unloads Floe's classes (a Flink job's user-code class loader) is not
 * kept alive by it.
 *
 * <p>Threads: a {@code WriteBehind} has one owner, the file's writer.
 */
public final class WriteBehind {
    /** Bytes written between early forces. */
    public static final long DEFAULT_BYTES_PER_SYNC = 4L << 20;

    private static final ThreadPoolExecutor THREAD = newThread();

    private final FileChannel channel;
    private final long bytesPerSync;
    private long unsynced;
    /** The queued or running force; read by the owner, completed by the background thread. */
    private Force pending;

    /** Requires: {@code channel} is open for writing and owned by the caller; {@code bytesPerSync > 0}. */
    public WriteBehind(FileChannel channel, long bytesPerSync) {
        if (bytesPerSync <= 0) {
            throw new IllegalArgumentException("bytes per sync must be positive: " + bytesPerSync);
        }
        this.channel = channel;
        this.bytesPerSync = bytesPerSync;
    }

    /** Records that {@code bytes} more were written; starts an early force once {@code bytesPerSync} gathered. */
    public void written(long bytes) {
        unsynced += bytes;
        if (unsynced >= bytesPerSync && (pending == null || pending.done)) {
            unsynced = 0;
            pending = new Force(channel);
            THREAD.execute(pending);
        }
    }

    /**
     * Waits for the early force in flight, if any. Call before the final fsync or before closing the
     * channel. Throws the {@link IOException} an early force failed with.
     */
    public void finish() throws IOException {
        Force f = pending;
        if (f == null) {
            return;
        }
        f.await();
        if (f.failure != null) {
            throw f.failure;
        }
    }

    /** Waits for the early force in flight, if any, ignoring its outcome (the file is being discarded). */
    public void abandon() {
        Force f = pending;
        if (f != null) {
            f.await();
        }
    }

    private static ThreadPoolExecutor newThread() {
        ThreadPoolExecutor t = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "floe-write-behind");
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
        t.allowCoreThreadTimeOut(true);
        return t;
    }

    /** One early force of one file. */
    private static final class Force implements Runnable {
        private final FileChannel channel;
        /** Set once, under this object's monitor (waiters wait on it); volatile for the owner's check in {@link #written}. */
        private volatile boolean done;
        /** Written before done is set, read after it is seen set. */
        private IOException failure;

        Force(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
            IOException error = null;
            try {
                channel.force(false);
            } catch (ClosedChannelException e) {
                // The writer gave the file up; nothing to report.
            } catch (IOException e) {
                error = e;
            }
            synchronized (this) {
                failure = error;
                done = true;
                notifyAll();
            }
        }

        synchronized void await() {
            Monitors.awaitUninterruptibly(this, () -> done);
        }
    }
}
