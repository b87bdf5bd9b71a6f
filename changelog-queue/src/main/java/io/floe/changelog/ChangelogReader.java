package io.floe.changelog;

import io.floe.common.error.ClosedException;
import io.floe.common.error.FloeIOException;
import java.nio.file.Path;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * A read-only handle on a changelog that a {@link ChangelogWriter} (in this or another process on
 * the host) created: it opens the queue read-only and maps the watermark read-only, and only
 * creates tailers. It never recovers or writes anything; records a writer is still to cut off by
 * recovery are never committed, so read-committed tailers never see them.
 *
 * <p>Threads: {@link #newTailer} and the accessors are safe from any thread; close from the owner
 * after closing its tailers.
 */
public final class ChangelogReader implements AutoCloseable {
    private final ChangelogQueue cq;

    private ChangelogReader(ChangelogQueue cq) {
        this.cq = cq;
    }

    /**
     * Opens the changelog in {@code options.dir()} for reading. Throws {@link FloeIOException} if
     * the directory or its watermark file is missing (no writer has created it);
     * {@link io.floe.common.error.CorruptionException} if the watermark header is damaged.
     */
    public static ChangelogReader open(ChangelogOptions options) {
        ChronicleQueues.ensureLoaded();
        Path dir = options.dir();
        ChronicleQueues.requireDirectory(dir, "open changelog for reading");
        Watermark watermark = Watermark.openForReader(dir);
        try {
            SingleChronicleQueue queue = ChronicleQueues.open(options, true, options.clockMillis());
            return new ChangelogReader(new ChangelogQueue(options, queue, watermark));
        } catch (RuntimeException e) {
            watermark.close();
            throw e;
        }
    }

    /** Returns a new tailer; see {@link ChangelogWriter#newTailer}. Throws {@link ClosedException} if closed. */
    public ChangelogTailer newTailer(TailerOptions options) {
        return cq.newTailer(options);
    }

    /** Returns the committed watermark as last published by the writer, or -1. */
    public long committedSeq() {
        return cq.watermark().committedSeq();
    }

    /** Returns the last committed checkpoint id as published, or -1 (may lag {@link #committedSeq()} by one commit). */
    public long lastCheckpointId() {
        return cq.watermark().checkpointId();
    }

    /** Returns the highest released seq as published, or -1. */
    public long releasedSeq() {
        return cq.watermark().releasedSeq();
    }

    @Override
    public void close() {
        cq.close();
    }
}
