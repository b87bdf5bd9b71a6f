package io.floe.kernel.bucket;

import io.floe.changelog.ChangelogWriter;
import io.floe.common.Monitors;
import io.floe.common.RowKind;
import io.floe.common.error.ClosedException;
import io.floe.common.error.FloeException;
import io.floe.common.error.MemoryLimitException;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.VersionEdit;
import io.floe.memtable.InsertStatus;
import io.floe.memtable.Memtable;
import io.floe.memtable.MemtableOptions;
import io.floe.kernel.manifest.VersionSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;

/**
 * One bucket of an open table: an independent LSM tree with its own changelog, memtables and
 * sequence numbers. The write path is here: {@link #write} appends to the changelog (the
 * write-ahead log), then inserts into the mutable memtable; a full memtable turns immutable and a
 * background flush writes it as a level-0 SST, recorded in the manifest with the flushed seq,
 * while writes go on into a fresh memtable. When {@code memtable.max-immutable} memtables wait for
 * their flush, the writer stalls (counted in {@link BucketStats}) until one is done.
 *
 * <p>Abort mode ({@code RecoveryPolicy.ABORT_UNCOMMITTED}): a memtable is flushed only once its
 * largest seq is committed, so SSTs never hold an uncommitted write and an aborting reopen only has
 * to void the changelog's uncommitted suffix. (The alternative, recording aborted seq ranges in the
 * manifest and filtering them in every read and compaction, would put a check on every hot path.)
 * A switch to a fresh memtable waits only for flushable memtables, never for a commit, which may
 * have to come from the very thread that is writing.
 *
 * <p>Threads: {@link #write}, {@link #commit}, {@link #prepare}, {@link #flush} and {@link #lastSeq}
 * belong to the bucket's writer thread (one {@code BucketWriter} at a time); {@link #commitPrepared}
 * is safe from any thread. Readers call {@link #retainMemtables}
 * from any thread; the flush runs on a background thread. {@code set} and {@code flushRunning} are
 * written under {@code lock} ({@code set} is volatile so the writer reads it without the lock);
 * readers retain memtables under {@code lock}, and a flush removes a memtable from the set under it
 * before closing it, so a reader never retains a closed memtable.
 *
 * <p>Memory: memtables come from the table's allocator; the bucket holds the creator reference of
 * each memtable in its set and gives it back after the memtable is flushed (readers that retained
 * it keep it alive) or at {@link #close()}.
 */
public final class Bucket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Bucket.class.getName());

    private final int id;
    private final TableContext ctx;
    private final ChangelogWriter changelog;
    private final CommitTimes commitTimes;
    /** Iff true, only memtables whose largest seq is committed are flushed. */
    private final boolean abortMode;
    private final MemtableOptions memtableOptions;
    private final Object lock = new Object();
    /** Written under lock; read by the writer without it. */
    private volatile MemtableSet set;
    /** Guarded by lock. */
    private boolean flushRunning;
    private final SnapshotRegistry snapshots = new SnapshotRegistry();
    /** Guarded by lock: while true, no flush starts (a restore is rebuilding the memtables). */
    private boolean restoring;
    /**
     * True while writes recovered above the committed seq wait for a writer's {@link #restore}
     * ({@code RecoveryPolicy.DEFER_TO_WRITER}); writes, prepares and one-step commits are refused
     * meanwhile. Set by the opening thread, cleared by the writer thread.
     */
    private volatile boolean awaitingRestore;
    private final BucketCompactions compactions;
    /** Guarded by lock. */
    private boolean closed;
    /** The first error of a background flush; the writer throws it on its next write. */
    private volatile Throwable backgroundError;
    /** The last seq whose insert completed: what a new snapshot sees. Written by the writer thread only. */
    private volatile long visibleSeq;
    /** Writer thread only. */
    private long nextSeq;
    private final AtomicLong stalls = new AtomicLong();
    private final AtomicLong stallNanos = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();

    Bucket(int id, TableContext ctx, ChangelogWriter changelog, CommitTimes commitTimes, long lastSeq, boolean abortMode) {
        this.id = id;
        this.ctx = ctx;
        this.changelog = changelog;
        this.commitTimes = commitTimes;
        this.abortMode = abortMode;
        this.memtableOptions = MemtableOptions.withLimit(ctx.options().writeBuffer().memtableBytes());
        this.set = new MemtableSet(Memtable.create(ctx.allocator(), memtableOptions), List.of());
        this.visibleSeq = lastSeq;
        this.nextSeq = lastSeq + 1;
        this.compactions = new BucketCompactions(id, ctx, this::oldestReadSeq, t -> backgroundError = t);
    }

    public int id() {
        return id;
    }

    public TableContext context() {
        return ctx;
    }

    public ChangelogWriter changelog() {
        return changelog;
    }

    /**
     * Writes one entry: changelog append, then memtable insert; returns its seq. An upsert carries
     * the stored row; a delete carries the row it was given (the key columns matter).
     *
     * <p>Requires: writer thread; {@code kind} is INSERT, UPDATE_AFTER or DELETE (or UPDATE_BEFORE,
     * which only the full changelog producer appends, see {@link #appendOnly}).
     * Throws {@link FloeException} if a background flush failed earlier or an I/O error occurs.
     */
    public long write(RowKind kind, DirectBuffer key, int keyOffset, int keyLength, DirectBuffer row, int rowOffset, int rowLength) {
        checkWritable();
        long seq = nextSeq;
        changelog.append(seq, kind, key, keyOffset, keyLength, row, rowOffset, rowLength);
        nextSeq = seq + 1;
        insert(seq, kind, key, keyOffset, keyLength, row, rowOffset, rowLength);
        visibleSeq = seq;
        return seq;
    }

    /** Appends a changelog record that is not stored in the memtable (a -U of the full producer); returns its seq. Writer thread. */
    public long appendOnly(RowKind kind, DirectBuffer key, int keyOffset, int keyLength, DirectBuffer row, int rowOffset, int rowLength) {
        checkWritable();
        long seq = nextSeq;
        changelog.append(seq, kind, key, keyOffset, keyLength, row, rowOffset, rowLength);
        nextSeq = seq + 1;
        return seq;
    }

    /** Inserts a replayed changelog record (recovery). Requires: the opening thread, before any writer. */
    void replay(long seq, RowKind kind, DirectBuffer key, int keyLength, DirectBuffer row, int rowLength) {
        insert(seq, kind, key, 0, keyLength, row, 0, rowLength);
        visibleSeq = Math.max(visibleSeq, seq);
    }

    /**
     * Sets the next seq above {@code lastSeq} (the highest ever written, aborted ones included) and
     * the visible seq to {@code visibleSeq} after recovery. Requires: the opening thread.
     */
    void resumeAfter(long lastSeq, long visibleSeq) {
        nextSeq = lastSeq + 1;
        this.visibleSeq = visibleSeq;
    }

    /** Makes the bucket refuse writes until a writer's {@link #restore}. Requires: the opening thread. */
    void awaitRestore() {
        awaitingRestore = true;
    }

    private void insert(long seq, RowKind kind, DirectBuffer key, int keyOffset, int keyLength, DirectBuffer row, int rowOffset,
                        int rowLength) {
        for (int attempt = 0; ; attempt++) {
            Memtable m = set.mutable();
            InsertStatus s = m.insert(key, keyOffset, keyLength, seq, kind, row, rowOffset, rowLength);
            if (s != InsertStatus.FULL) {
                return;
            }
            if (m.isEmpty() && attempt > 0) {
                throw new MemoryLimitException("an empty memtable of bucket " + id + " has no room for an entry of " + (keyLength + rowLength)
                        + " bytes: the off-heap memory limit is reached");
            }
            switchMemtable();
        }
    }

    /** Turns the mutable memtable immutable (if it holds anything) and schedules its flush; stalls while too many wait. */
    private void switchMemtable() {
        if (set.mutable().isEmpty()) {
            return;
        }
        // The next keys likely start with what this memtable's smallest and largest keys share
        // (e.g. the high bytes of integer ids): the fresh skiplist orders keys by the bytes after it.
        Memtable fresh = Memtable.create(ctx.allocator(), memtableOptions, set.mutable().sharedKeyPrefix());
        try {
            synchronized (lock) {
                int max = ctx.options().writeBuffer().maxImmutableMemtables();
                if (set.immutables().size() >= max) {
                    stalls.incrementAndGet();
                    long start = System.nanoTime();
                    while (set.immutables().size() >= max && oldestFlushableLocked() && !closed && backgroundError == null) {
                        lock.wait();
                    }
                    stallNanos.addAndGet(System.nanoTime() - start);
                }
                checkHealthy();
                set = set.switchTo(fresh);
                fresh = null;
                scheduleFlushLocked();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FloeException("interrupted while waiting for a flush of bucket " + id, e);
        } finally {
            if (fresh != null) {
                fresh.close();
            }
        }
    }

    /**
     * Returns iff the oldest immutable memtable exists and may be flushed now: always, except in
     * abort mode while its largest seq is above the committed seq. Requires: holding lock.
     */
    private boolean oldestFlushableLocked() {
        Memtable m = set.oldestImmutable();
        return m != null && (!abortMode || m.isEmpty() || m.maxSeq() <= changelog.committedSeq());
    }

    /** Requires: holding lock. */
    private void scheduleFlushLocked() {
        if (!flushRunning && !restoring && oldestFlushableLocked() && !closed) {
            flushRunning = true;
            ctx.background().execute(this::flushLoop);
        }
    }

    private void flushLoop() {
        while (true) {
            Memtable m;
            synchronized (lock) {
                m = set.oldestImmutable();
                if (!oldestFlushableLocked() || closed || restoring || backgroundError != null) {
                    flushRunning = false;
                    lock.notifyAll();
                    return;
                }
            }
            try {
                VersionEdit.Builder edit = VersionEdit.builder();
                if (!m.isEmpty()) {
                    FileMeta file = Flusher.flush(ctx, id, m);
                    edit.add(file).flushedSeq(id, m.maxSeq());
                    ctx.versions().logAndApply(edit.build());
                    flushes.incrementAndGet();
                }
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "flush of bucket " + id + " of " + ctx.layout().dir() + " failed", t);
                synchronized (lock) {
                    backgroundError = t;
                    flushRunning = false;
                    lock.notifyAll();
                }
                return;
            }
            synchronized (lock) {
                set = set.withoutOldest();
                lock.notifyAll();
                compactions.schedule();
            }
            m.close();
            releaseChangelog();
        }
    }

    /**
     * Makes every entry written so far flushable and waits until every immutable memtable is in an
     * SST (in abort mode: every one whose largest seq is committed). Requires: writer thread (it
     * switches the mutable memtable). Throws {@link FloeException} if a flush fails.
     */
    public void flush() {
        checkWritable();
        switchMemtable();
        synchronized (lock) {
            try {
                while ((flushRunning || oldestFlushableLocked()) && backgroundError == null && !closed) {
                    scheduleFlushLocked();
                    lock.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FloeException("interrupted while waiting for a flush of bucket " + id, e);
            }
        }
        checkHealthy();
    }

    /**
     * Releases the changelog files whose records are all flushed and whose roll period ended more
     * than {@code changelog.retention} ago, and trims the commit-time log of the entries that date
     * only released changes. A failure is logged, not thrown: nothing is lost, the files stay, and
     * the next flush tries again.
     */
    private void releaseChangelog() {
        long flushedSeq;
        try (VersionSet.Pin pin = ctx.versions().pin()) {
            flushedSeq = pin.version().bucket(id).flushedSeq();
        }
        try {
            long releasedSeq = changelog.releaseBelow(flushedSeq + 1, ctx.options().changelogRetention()).releasedSeq();
            if (releasedSeq > 0) {
                commitTimes.trimBelow(releasedSeq);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not release changelog files (or trim the commit-time log) of bucket " + id
                    + " of " + ctx.layout().dir() + " below flushed seq " + flushedSeq + "; the next flush tries again", e);
        }
    }

    /** Merges every run of the bucket into one bottom run now, on the calling thread (tests and tools). */
    public void compactAll() {
        checkHealthy();
        compactions.compactAll();
    }

    /**
     * Returns the smallest seq a reader may read at: the oldest live snapshot's, and the committed
     * seq (a read-committed snapshot taken later reads there; in KEEP mode SSTs may hold newer,
     * uncommitted versions of a key whose committed version it needs), or {@link Long#MAX_VALUE}.
     */
    private long oldestReadSeq() {
        long committed = changelog.committedSeq();
        return Math.min(snapshots.oldest(), committed < 0 ? Long.MAX_VALUE : committed);
    }

    /** Forgets one snapshot at {@code seq} (its view closed). */
    public void releaseSnapshot(long seq) {
        snapshots.release(seq);
    }

    /** Commits the changelog under {@code checkpointId} (idempotent by id); returns the committed seq. Writer thread. */
    public long commit(long checkpointId) {
        checkWritable();
        return committed(changelog.commit(checkpointId));
    }

    /** Makes every write so far durable per the sync mode and returns its seq ({@link ChangelogWriter#prepare()}). Writer thread. */
    public long prepare() {
        checkWritable();
        return changelog.prepare();
    }

    /** Commits the changelog up to the prepared {@code seq} ({@link ChangelogWriter#commit(long, long)}). Any thread. */
    public long commitPrepared(long checkpointId, long seq) {
        checkHealthy();
        return committed(changelog.commit(checkpointId, seq));
    }

    /**
     * Records the commit's time (a failure to is logged: the commit itself stands) and, in abort mode,
     * lets memtables the commit covered be flushed; returns {@code committedSeq}.
     */
    private long committed(long committedSeq) {
        try {
            commitTimes.record(ctx.clockMillis().getAsLong(), committedSeq);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record the time of a commit of bucket " + id + " of "
                    + ctx.layout().dir() + " up to seq " + committedSeq + "; reads from a timestamp may start earlier", e);
        }
        if (abortMode) {
            synchronized (lock) {
                scheduleFlushLocked();
            }
        }
        return committedSeq;
    }

    /**
     * Decides the bucket's uncommitted writes when a writer starts: commits up to {@code seq} under
     * {@code commitId} if {@code seq >= 0} (the restore point: what the last completed checkpoint of
     * a restored sink prepared; nothing happens if the commit id is not above the last one), then
     * aborts every write above the committed seq, in the changelog (voided, see
     * {@link ChangelogWriter#abortUncommitted()}) and in the memtables (rebuilt from the changelog
     * while flushes wait; snapshots that retained the old memtables keep reading them). Returns
     * the committed seq. Writes continue above the highest seq ever written.
     *
     * <p>Requires: abort mode ({@code ABORT_UNCOMMITTED} or {@code DEFER_TO_WRITER}); the writer
     * thread, before it writes; no commit above the committed seq runs concurrently.
     * Throws {@link IllegalStateException} outside abort mode (SSTs may hold uncommitted writes);
     * {@link IllegalArgumentException} if {@code seq} names no committable record.
     */
    public long restore(long commitId, long seq) {
        checkHealthy();
        if (!abortMode) {
            throw new IllegalStateException("bucket " + id + " of " + ctx.layout().dir() + " cannot abort uncommitted writes: "
                    + "the store was opened with KEEP_UNCOMMITTED (open it with ABORT_UNCOMMITTED or DEFER_TO_WRITER)");
        }
        if (seq >= 0) {
            committed(changelog.commit(commitId, seq));
        }
        long committed = Math.max(0, changelog.committedSeq());
        changelog.abortUncommitted();
        if (memtablesHoldAbove(committed)) {
            rebuildMemtables(committed);
        }
        awaitingRestore = false;
        return changelog.committedSeq();
    }

    private boolean memtablesHoldAbove(long seq) {
        for (Memtable m : set.newestFirst()) {
            if (!m.isEmpty() && m.maxSeq() > seq) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces every memtable by ones rebuilt from the changelog's records in (flushed seq,
     * {@code committed}]: stops flushes, builds the new memtables aside, swaps them in under the
     * lock (a reader sees the old set or the new one, never a mix), and gives the old ones back.
     */
    private void rebuildMemtables(long committed) {
        synchronized (lock) {
            restoring = true;
            try {
                while (flushRunning) {
                    lock.wait();
                }
            } catch (InterruptedException e) {
                restoring = false;
                Thread.currentThread().interrupt();
                throw new FloeException("interrupted while waiting for a flush of bucket " + id, e);
            }
        }
        MemtableSet old;
        try {
            long flushedSeq;
            try (VersionSet.Pin pin = ctx.versions().pin()) {
                flushedSeq = pin.version().bucket(id).flushedSeq();
            }
            List<Memtable> rebuilt = ReplayedMemtables.build(ctx, memtableOptions, changelog, id, flushedSeq + 1, committed);
            synchronized (lock) {
                old = set;
                set = new MemtableSet(rebuilt.get(0), rebuilt.subList(1, rebuilt.size()));
                visibleSeq = committed;
            }
        } finally {
            synchronized (lock) {
                restoring = false;
                scheduleFlushLocked();
                lock.notifyAll();
            }
        }
        for (Memtable m : old.newestFirst()) {
            m.close();
        }
    }

    /** Returns the first seq committed at or after {@code epochMillis} ({@link CommitTimes#firstSeqCommittedFrom}). Any thread. */
    public long firstSeqCommittedFrom(long epochMillis) {
        return commitTimes.firstSeqCommittedFrom(epochMillis);
    }

    /** Returns the last seq written. Any thread. */
    public long lastSeq() {
        return visibleSeq;
    }

    /**
     * Returns the visible seq and retains every memtable, newest first, under the bucket lock so that
     * none is closed meanwhile, and registers a snapshot at that seq (compactions keep what it
     * reads). The caller releases each memtable ({@link Memtable#release()}) and the snapshot
     * ({@link #releaseSnapshot}).
     * Throws {@link ClosedException} if the bucket is closed.
     */
    public RetainedMemtables retainMemtables() {
        return retainMemtables(false);
    }

    /**
     * As {@link #retainMemtables()}, at the committed seq instead of the visible one iff
     * {@code committedOnly} (a read-committed snapshot: 0 if nothing was ever committed).
     */
    public RetainedMemtables retainMemtables(boolean committedOnly) {
        List<Memtable> retained = new ArrayList<>(4);
        long seq = retainMemtables(committedOnly, retained);
        return new RetainedMemtables(seq, retained);
    }

    /**
     * As {@link #retainMemtables(boolean)}, into {@code into} (cleared first; newest first), without
     * allocating while {@code into} has room: the point-lookup path. Returns the snapshot's seq.
     */
    public long retainMemtables(boolean committedOnly, List<Memtable> into) {
        into.clear();
        synchronized (lock) {
            if (closed) {
                throw new ClosedException("bucket " + id + " of " + ctx.layout().dir() + " is closed");
            }
            long seq = committedOnly ? Math.min(visibleSeq, Math.max(0, changelog.committedSeq())) : visibleSeq;
            snapshots.register(seq);
            MemtableSet s = set;
            s.mutable().retain();
            into.add(s.mutable());
            List<Memtable> immutables = s.immutables();
            for (int i = 0; i < immutables.size(); i++) {
                Memtable m = immutables.get(i);
                m.retain();
                into.add(m);
            }
            return seq;
        }
    }

    /** The visible seq of a bucket and its memtables, retained, newest first. */
    public record RetainedMemtables(long seq, List<Memtable> memtables) {
    }

    /** Returns the bucket's counters. Any thread. */
    public BucketStats stats() {
        int immutables = set.immutables().size();
        int runs;
        try (var pin = ctx.versions().pin()) {
            runs = pin.version().bucket(id).runs().size();
        }
        return new BucketStats(stalls.get(), stallNanos.get(), flushes.get(), compactions.count(), immutables, runs, visibleSeq);
    }

    /** Throws as {@link #checkHealthy()}, or {@link IllegalStateException} while the bucket awaits a writer's restore. */
    private void checkWritable() {
        if (awaitingRestore) {
            throw new IllegalStateException("bucket " + id + " of " + ctx.layout().dir() + " holds writes above its committed seq "
                    + changelog.committedSeq() + " that were recovered at open and await a decision (RecoveryPolicy.DEFER_TO_WRITER): "
                    + "call BucketWriter.restore(commitId, seq) or abortUncommitted() before writing");
        }
        checkHealthy();
    }

    private void checkHealthy() {
        Throwable t = backgroundError;
        if (t != null) {
            throw new FloeException("a background flush or compaction of bucket " + id + " of " + ctx.layout().dir()
                    + " failed; reopen the table to recover from the changelog", t);
        }
    }

    /**
     * Waits for a running flush, then gives back every memtable (unflushed entries stay in the
     * changelog and are replayed at the next open) and closes the changelog writer. Throws
     * {@link FloeException} after releasing everything if a background flush or compaction failed
     * (no acknowledged write is lost: the next open replays it from the changelog).
     */
    @Override
    public void close() {
        MemtableSet last;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
            Monitors.awaitUninterruptibly(lock, () -> !flushRunning);
            last = set;
        }
        compactions.close();
        for (Memtable m : last.newestFirst()) {
            m.close();
        }
        commitTimes.close();
        changelog.close();
        // Everything is released; a background failure nobody has seen yet is reported now rather than only logged.
        checkHealthy();
    }
}
