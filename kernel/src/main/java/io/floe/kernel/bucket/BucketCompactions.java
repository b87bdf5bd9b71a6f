package io.floe.kernel.bucket;

import io.floe.common.Monitors;
import io.floe.kernel.compaction.UniversalPicker;
import io.floe.kernel.manifest.SortedRun;
import io.floe.kernel.manifest.VersionEdit;
import io.floe.kernel.manifest.VersionSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The compactions of one bucket: a background loop that runs the universal picker's plans after
 * flushes until it has nothing to do, and full compactions on request. One compaction per bucket at
 * a time; each one is recorded in the manifest by {@link Compactor}.
 *
 * <p>Threads: every method is safe from any thread. {@code running} and {@code closed} are guarded
 * by this object's monitor (a leaf lock: the bucket may call {@link #schedule()} while holding its
 * own); compactions themselves are serialized by {@code compactionMonitor}.
 */
final class BucketCompactions {
    private static final System.Logger LOG = System.getLogger(BucketCompactions.class.getName());

    private final int bucket;
    private final TableContext ctx;
    private final UniversalPicker picker;
    /** The smallest seq any reader may read at: versions it needs survive. */
    private final LongSupplier oldestReadSeq;
    /** Told the first error of a background compaction (the bucket then refuses writes). */
    private final Consumer<Throwable> onError;
    private final Object compactionMonitor = new Object();
    /** Guarded by compactionMonitor: the run the last full compaction wrote (it holds no deletes), or -1. */
    private long lastBottomRun = -1;
    /** Guarded by this. */
    private boolean running;
    /** Guarded by this. */
    private boolean closed;
    private final AtomicLong count = new AtomicLong();

    BucketCompactions(int bucket, TableContext ctx, LongSupplier oldestReadSeq, Consumer<Throwable> onError) {
        this.bucket = bucket;
        this.ctx = ctx;
        this.picker = new UniversalPicker(ctx.options().compaction());
        this.oldestReadSeq = oldestReadSeq;
        this.onError = onError;
    }

    /** Starts the background loop unless it runs already or this is closed. */
    synchronized void schedule() {
        if (!running && !closed) {
            running = true;
            ctx.background().execute(this::loop);
        }
    }

    private void loop() {
        try {
            while (!isClosed() && compactOnce(false)) {
                // Until the picker has nothing more to do.
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "compaction of bucket " + bucket + " of " + ctx.layout().dir() + " failed", t);
            onError.accept(t);
            synchronized (this) {
                closed = true;
            }
        } finally {
            synchronized (this) {
                running = false;
                notifyAll();
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Merges every run of the bucket into one bottom run now, on the calling thread (tests and tools). */
    void compactAll() {
        compactOnce(true);
    }

    /**
     * Runs one compaction: the picker's plan, or with {@code all} every run merged into a new bottom
     * run (when there is more than one run, or one run that may hold deletes). Returns iff it merged
     * something.
     */
    private boolean compactOnce(boolean all) {
        synchronized (compactionMonitor) {
            try (VersionSet.Pin pin = ctx.versions().pin()) {
                List<SortedRun> runs = pin.version().bucket(bucket).runs();
                Compactor.Job job = all ? Compactor.everything(runs, lastBottomRun) : Compactor.picked(picker, runs);
                if (job == null) {
                    return false;
                }
                VersionEdit edit = Compactor.compact(ctx, bucket, job.inputs(), job.bottom(), oldestReadSeq.getAsLong());
                ctx.versions().logAndApply(edit);
                if (job.bottom()) {
                    lastBottomRun = edit.added().isEmpty() ? -1 : edit.added().get(0).runId();
                }
            }
            count.incrementAndGet();
            return true;
        }
    }

    /** Returns the number of compactions run. */
    long count() {
        return count.get();
    }

    /** Stops scheduling and waits for a running background compaction to end. Idempotent. */
    synchronized void close() {
        closed = true;
        Monitors.awaitUninterruptibly(this, () -> !running);
    }
}
