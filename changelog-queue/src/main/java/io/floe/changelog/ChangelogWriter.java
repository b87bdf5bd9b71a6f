package io.floe.changelog;

import io.floe.common.RowKind;
import io.floe.common.error.ClosedException;
import io.floe.common.error.CorruptionException;
import io.floe.common.error.FloeIOException;
import io.floe.common.io.DurableFiles;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.DirectBuffer;

/**
 * The writing end of one bucket's changelog: the memtable's write-ahead log, appended record by
 * record, committed per checkpoint, tailed by readers in this and other processes.
 *
 * <p>Opening recovers (see {@link Recovery}): it finds the last whole, valid record
 * ({@link #lastSeq()}), cuts off a torn tail, and restores the committed watermark
 * ({@link #committedSeq()}, {@link #lastCheckpointId()}); {@link #recovery()} reports what it did.
 * One writer per changelog: a lock file ({@value #LOCK_FILE}) excludes a second one, in any process.
 *
 * <p>Durability: see {@link SyncMode}. An append is visible to read-uncommitted tailers on the
 * host as soon as it returns and survives a crash of this process; {@link #commit} makes it
 * visible to read-committed tailers and, with {@link SyncMode#FSYNC_ON_COMMIT}, survives a crash
 * of the machine.
 *
 * <p>Two-phase commit: {@link #prepare()} makes everything appended so far durable and returns
 * its seq, still invisible to read-committed tailers; {@link #commit(long, long)} later publishes
 * the watermark up to exactly that seq (records appended after it stay uncommitted).
 * {@link #commit(long)} does both at once. Opening with {@link UncommittedPolicy#ABORT} voids
 * everything above the committed seq, prepared or not; {@link #abortUncommitted()} does the same
 * later, for a writer opened with {@link UncommittedPolicy#KEEP} that learns only then (from its
 * own restore point) which of the recovered records to keep.
 *
 * <p>Threads: single owner, the bucket's writer thread, for {@code append}, {@code appendBatch},
 * {@code prepare}, {@code commit(long)}, {@code abortUncommitted}, {@code lastSeq} and {@code close}.
 * {@link #commit(long, long)}, {@link #newTailer} and {@link #releaseBelow} are safe from any
 * thread (a committer thread commits, a flush thread releases); {@link #committedSeq()} and
 * {@link #lastCheckpointId()} too.
 */
public final class ChangelogWriter implements AutoCloseable {
    /** The writer's lock file in the changelog directory. */
    public static final String LOCK_FILE = "floe-writer.lock";

    private final ChangelogQueue cq;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ExcerptAppender appender;
    private final RecordAppender records;
    private final RecoveryReport recovery;
    private final int maxRecordBytes;
    private final boolean fsync;
    private final PreparedPoints prepared;
    /** Writer thread: the highest seq ever appended, valid or aborted; appends must exceed it. */
    private long lastSeq;
    /** Writer thread: the seq and queue index of the last valid record, or -1. */
    private long lastRecordSeq;
    private long lastIndex;
    private int lastCycle;
    private int firstUnsyncedCycle;
    private boolean closed;

    private ChangelogWriter(ChangelogQueue cq, FileChannel lockChannel, FileLock lock, RecoveryReport recovery,
                            long lastRecordSeq, long lastIndex) {
        this.cq = cq;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recovery = recovery;
        this.maxRecordBytes = cq.options().maxRecordBytes();
        this.fsync = cq.options().syncMode() == SyncMode.FSYNC_ON_COMMIT;
        this.lastSeq = recovery.highestSeq();
        this.lastRecordSeq = lastRecordSeq;
        this.lastIndex = lastIndex;
        this.prepared = new PreparedPoints(lastRecordSeq);
        this.appender = cq.queue().createAppender();
        // Chronicle's own check (every call from the first thread that used the appender) costs a
        // volatile read and a thread comparison per append, and would refuse a bucket handed to a
        // writer on another thread; Floe's single-owner rule (one BucketWriter at a time, handed
        // over under the table's lock) is what guards the appender.
        this.appender.singleThreadedCheckDisabled(true);
        this.records = new RecordAppender(appender);
        this.lastCycle = cq.queue().lastCycle();
        this.firstUnsyncedCycle = lastCycle;
    }

    /**
     * Opens (creating if missing) the changelog in {@code options.dir()} for writing and recovers it.
     * Throws {@link FloeIOException} if the directory cannot be created, is not a directory or is
     * not writable; {@link ChangelogLockedException} if another writer has it open;
     * {@link CorruptionException} naming file and offset if a committed record or the watermark is
     * damaged (STRICT).
     */
    public static ChangelogWriter open(ChangelogOptions options) {
        ChronicleQueues.ensureLoaded();
        Path dir = options.dir();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            ChronicleQueues.requireDirectory(dir, "open changelog for writing");
        }
        ChronicleQueues.createWritableDirectory(dir);
        Path lockPath = dir.resolve(LOCK_FILE);
        FileChannel lockChannel;
        FileLock lock;
        try {
            lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw FloeIOException.of("create writer lock", lockPath, e);
        }
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw FloeIOException.of("lock changelog", lockPath, e);
        }
        if (lock == null) {
            closeQuietly(lockChannel);
            throw new ChangelogLockedException(lockPath.toString());
        }
        ChangelogQueue cq = null;
        try {
            long start = System.nanoTime();
            Watermark watermark = Watermark.openForWriter(dir, options.recoveryMode());
            SingleChronicleQueue queue;
            FloorClock clock = new FloorClock(options.clockMillis());
            try {
                queue = ChronicleQueues.open(options, false, clock);
            } catch (RuntimeException e) {
                watermark.close();
                throw e;
            }
            cq = new ChangelogQueue(options, queue, watermark);
            WatermarkState state = watermark.state();
            Recovery.Result scan = Recovery.scan(cq, state, options.uncommitted() == UncommittedPolicy.ABORT);
            int newestCycle = queue.lastCycle();
            if (newestCycle != Integer.MIN_VALUE) {
                clock.raiseTo((long) newestCycle * queue.rollCycle().lengthInMillis() + queue.epoch());
            }
            long lastSeq = Math.max(scan.lastSeq(), state.releasedSeq());
            long highestSeq = Math.max(scan.highestSeq(), lastSeq);
            if (scan.firstVoidedCycle() != Integer.MAX_VALUE && options.syncMode() == SyncMode.FSYNC_ON_COMMIT) {
                syncCycles(cq, scan.firstVoidedCycle(), queue.lastCycle());
            }
            boolean clamped = state.committedSeq() > lastSeq;
            if (clamped) {
                if (options.syncMode() == SyncMode.FSYNC_ON_COMMIT && options.recoveryMode() == RecoveryMode.STRICT) {
                    throw new CorruptionException(dir.toString(), -1, "committed seq " + state.committedSeq()
                            + " is missing: the log ends at seq " + lastSeq + " although commits were fsynced");
                }
                synchronized (watermark) {
                    watermark.publish(state.withCommit(state.checkpointId(), lastSeq, scan.lastIndex()),
                            options.syncMode() == SyncMode.FSYNC_ON_COMMIT);
                }
                state = watermark.state();
            }
            RecoveryReport report = new RecoveryReport(lastSeq, state.committedSeq(), state.checkpointId(),
                    state.releasedSeq(), scan.scanned(), scan.voided(), scan.skipped(), clamped,
                    watermark.salvagedDamage(), System.nanoTime() - start, highestSeq, scan.aborted());
            return new ChangelogWriter(cq, lockChannel, lock, report, lastSeq, scan.lastIndex());
        } catch (RuntimeException | Error e) {
            if (cq != null) {
                cq.close();
            }
            closeQuietly(lockChannel);
            throw e;
        }
    }

    /**
     * Appends one record. The key and row are copied once, into the queue file; allocates nothing.
     *
     * <p>Requires: called on the writer thread. Throws {@link SeqOrderException} if
     * {@code seq <= lastSeq()} or {@code seq < 0}; {@link IllegalArgumentException} if
     * {@code 24 + keyLength + rowLength} exceeds {@link ChangelogOptions#maxRecordBytes()};
     * {@link IndexOutOfBoundsException} if a range lies outside its buffer; {@link ClosedException}
     * if closed. Nothing is appended when it throws.
     */
    public void append(long seq, RowKind kind, DirectBuffer key, int keyOffset, int keyLength,
                       DirectBuffer row, int rowOffset, int rowLength) {
        checkOpen();
        checkRecord(seq, lastSeq, keyLength, rowLength);
        long index = records.append(seq, kind, key, keyOffset, keyLength, row, rowOffset, rowLength);
        appended(seq, index);
    }

    /**
     * Appends every record of {@code batch}, in order; the whole batch is validated first, so an
     * ordering or size error appends none of it. A crash during the batch may keep a prefix of it
     * (commit is the unit of atomicity). Throws as {@link #append}.
     */
    public void appendBatch(ChangelogBatch batch) {
        checkOpen();
        long previous = lastSeq;
        for (int i = 0; i < batch.size; i++) {
            checkRecord(batch.seqs[i], previous, batch.keyLengths[i], batch.rowLengths[i]);
            batch.keys[i].boundsCheck(batch.keyOffsets[i], batch.keyLengths[i]);
            batch.rows[i].boundsCheck(batch.rowOffsets[i], batch.rowLengths[i]);
            previous = batch.seqs[i];
        }
        for (int i = 0; i < batch.size; i++) {
            long index = records.append(batch.seqs[i], batch.kinds[i], batch.keys[i], batch.keyOffsets[i],
                    batch.keyLengths[i], batch.rows[i], batch.rowOffsets[i], batch.rowLengths[i]);
            appended(batch.seqs[i], index);
        }
    }

    private void checkRecord(long seq, long previous, int keyLength, int rowLength) {
        if (seq <= previous || seq < 0) {
            throw new SeqOrderException(cq.name(), seq, previous);
        }
        if (keyLength < 0 || rowLength < 0
                || (long) ChangelogRecordLayout.HEADER_LENGTH + keyLength + rowLength > maxRecordBytes) {
            throw new IllegalArgumentException("record with key of " + keyLength + " bytes and row of " + rowLength
                    + " bytes exceeds the maximum record size of " + maxRecordBytes + " bytes (or a length is negative)");
        }
    }

    private void appended(long seq, long index) {
        lastSeq = seq;
        lastRecordSeq = seq;
        lastIndex = index;
        lastCycle = cq.queue().rollCycle().toCycle(index);
    }

    /**
     * Commits everything appended so far under {@code checkpointId}: {@link #prepare()} and then
     * {@link #commit(long, long)} of the prepared seq. With {@link SyncMode#FSYNC_ON_COMMIT} it
     * fsyncs the queue files written since the last commit (and the directory if a file appeared)
     * and then the watermark; publishes the watermark to every tailer on the host; returns the
     * committed seq (-1 if nothing was ever appended).
     *
     * <p>Idempotent by checkpoint id: if {@code checkpointId <= lastCheckpointId()} nothing
     * happens (records appended since stay uncommitted) and the current committed seq is returned.
     *
     * <p>Requires: writer thread; {@code checkpointId >= 0}. Throws {@link FloeIOException} if an
     * fsync fails (the watermark is then not moved), {@link ClosedException} if closed.
     */
    public long commit(long checkpointId) {
        checkOpen();
        checkCheckpointId(checkpointId);
        if (checkpointId <= cq.watermark().state().checkpointId()) {
            return cq.watermark().state().committedSeq();
        }
        return commit(checkpointId, prepare());
    }

    /**
     * Phase one of a two-phase commit: makes every record appended so far durable per the sync
     * mode (fsyncs the queue files written since the last prepare or commit with
     * {@link SyncMode#FSYNC_ON_COMMIT}) and returns the seq of the last valid record (the
     * committed seq if none was appended since; -1 if the log holds none). Read-committed tailers
     * do not see it until {@link #commit(long, long)} of that seq. Nothing is written to disk
     * about the prepare itself: a writer opened after a crash with {@link UncommittedPolicy#ABORT}
     * voids prepared records like any other uncommitted ones; with {@link UncommittedPolicy#KEEP}
     * they stay and may still be committed by seq.
     *
     * <p>Requires: writer thread. Throws {@link FloeIOException} if an fsync fails,
     * {@link ClosedException} if closed.
     */
    public long prepare() {
        checkOpen();
        if (fsync) {
            syncQueueFiles();
        }
        prepared.add(lastRecordSeq, lastIndex);
        return Math.max(lastRecordSeq, committedSeq());
    }

    /**
     * Phase two: publishes the watermark {@code checkpointId, uptoSeq} (fsyncing the watermark file
     * with {@link SyncMode#FSYNC_ON_COMMIT}); records appended after {@code uptoSeq} stay
     * uncommitted. Returns the committed seq.
     *
     * <p>Idempotent by checkpoint id: if {@code checkpointId <= lastCheckpointId()} nothing happens
     * and the current committed seq is returned (whatever {@code uptoSeq} is).
     *
     * <p>Requires: {@code checkpointId >= 0}; {@code uptoSeq} is the committed seq or a seq
     * returned by {@link #prepare()} of this writer, or (after a reopen with
     * {@link UncommittedPolicy#KEEP}) a record recovered at open. Any thread.
     * Throws {@link IllegalArgumentException} naming both seqs if {@code uptoSeq} is above the last
     * prepared seq, below the committed seq, or names no record (a seq never written or aborted);
     * {@link FloeIOException} if the fsync of the watermark fails; {@link ClosedException} if closed.
     */
    public long commit(long checkpointId, long uptoSeq) {
        checkOpen();
        checkCheckpointId(checkpointId);
        Watermark watermark = cq.watermark();
        WatermarkState before = watermark.state();
        if (checkpointId <= before.checkpointId()) {
            return before.committedSeq();
        }
        long index = uptoSeq == before.committedSeq() ? before.committedIndex() : indexOfCommittable(uptoSeq, before);
        synchronized (watermark) {
            WatermarkState state = watermark.state();
            if (checkpointId <= state.checkpointId()) {
                return state.committedSeq();
            }
            if (uptoSeq < state.committedSeq()) {
                throw new IllegalArgumentException("cannot commit seq " + uptoSeq + " of " + cq.name() + " under checkpoint "
                        + checkpointId + ": it is below the committed seq " + state.committedSeq() + " (a commit never lowers the watermark)");
            }
            if (uptoSeq == state.committedSeq()) {
                index = state.committedIndex();
            }
            watermark.publish(state.withCommit(checkpointId, uptoSeq, index), fsync);
            prepared.committed(uptoSeq);
            return uptoSeq;
        }
    }

    /**
     * Voids every record above the committed seq, prepared or not, as an open with
     * {@link UncommittedPolicy#ABORT} does (see {@link Recovery}): no tailer returns them afterwards
     * and no commit can publish them; with {@link SyncMode#FSYNC_ON_COMMIT} the rewritten files are
     * fsynced before it returns. Appends continue above the highest seq ever written. Returns the
     * number of records voided.
     *
     * <p>Requires: writer thread; no commit of a seq above the committed seq runs concurrently (a
     * committer may commit the committed seq again, or anything up to it). Read-uncommitted
     * tailers may have returned the voided records already: that is what read-uncommitted means.
     * Throws {@link FloeIOException} if an fsync fails (the records are voided in the page cache and
     * the next open voids them again), {@link ClosedException} if closed.
     */
    public long abortUncommitted() {
        checkOpen();
        Watermark watermark = cq.watermark();
        Recovery.Result scan;
        synchronized (watermark) {
            scan = Recovery.scan(cq, watermark.state(), true);
            prepared.abortAbove(watermark.state().committedSeq());
        }
        if (scan.aborted() == 0) {
            return 0;
        }
        lastRecordSeq = scan.lastSeq();
        lastIndex = scan.lastIndex();
        lastSeq = Math.max(lastSeq, scan.highestSeq());
        if (fsync && scan.firstVoidedCycle() != Integer.MAX_VALUE) {
            syncCycles(cq, scan.firstVoidedCycle(), cq.queue().lastCycle());
        }
        return scan.aborted();
    }

    /** Returns the queue index of the record {@code seq} if it may be committed; throws as {@link #commit(long, long)}. */
    private long indexOfCommittable(long seq, WatermarkState state) {
        if (seq < state.committedSeq()) {
            throw new IllegalArgumentException("cannot commit seq " + seq + " of " + cq.name() + ": it is below the committed seq "
                    + state.committedSeq() + " (a commit never lowers the watermark)");
        }
        long durable = prepared.durableSeq();
        if (seq > durable) {
            throw new IllegalArgumentException("cannot commit seq " + seq + " of " + cq.name() + ": it was never prepared (the last "
                    + "prepared seq is " + durable + ")");
        }
        long index = prepared.indexOf(seq);
        if (index >= 0) {
            return index;
        }
        try (ChangelogTailer tailer = cq.newTailer(TailerOptions.fromSeq(seq).withIsolation(IsolationLevel.READ_UNCOMMITTED))) {
            ChangelogRecord record = tailer.poll();
            if (record == null || record.seq() != seq) {
                throw new IllegalArgumentException("cannot commit seq " + seq + " of " + cq.name() + ": no record has that seq (never "
                        + "written, or aborted); the next record has seq " + (record == null ? "none" : record.seq()));
            }
            return record.queueIndex();
        }
    }

    private static void checkCheckpointId(long checkpointId) {
        if (checkpointId < 0) {
            throw new IllegalArgumentException("checkpoint id must be >= 0, got " + checkpointId);
        }
    }

    private void syncQueueFiles() {
        SingleChronicleQueue queue = cq.queue();
        if (lastCycle == Integer.MIN_VALUE) {
            return; // nothing was ever appended: no queue file exists
        }
        boolean newFile = lastCycle != firstUnsyncedCycle;
        // A changelog that had no file when it was opened or last synced starts at its first cycle:
        // Chronicle has no file for Integer.MIN_VALUE, its "no cycle" value.
        int from = firstUnsyncedCycle == Integer.MIN_VALUE ? queue.firstCycle() : firstUnsyncedCycle;
        FaultPoints.point(FaultPoint.CHANGELOG_SYNC_BEFORE);
        syncCycles(cq, from, lastCycle);
        if (newFile) {
            DurableFiles.fsyncDirectory(cq.dir());
        }
        if (FaultPoints.ENABLED) FaultPoints.syncedPrefix(cq.files().fileOf(lastCycle), records.writeEnd());
        FaultPoints.point(FaultPoint.CHANGELOG_SYNC_AFTER);
        firstUnsyncedCycle = lastCycle;
    }

    /** Fsyncs the queue files of cycles [from, to] that exist. */
    private static void syncCycles(ChangelogQueue cq, int from, int to) {
        if (from > to || to == Integer.MIN_VALUE) {
            return;
        }
        for (Long cycle : cq.queue().listCyclesBetween(from, to)) {
            Path file = cq.files().fileOf(cycle.intValue());
            if (Files.exists(file)) {
                DurableFiles.fsync(file);
            }
        }
    }

    /**
     * Releases whole queue files whose records all have seq &lt; {@code seq} (the kernel calls this
     * once {@code seq} is flushed to SSTs). Keeps the newest file and every file a live tailer of
     * this process still needs; see {@link Truncation} for other processes. Safe from any thread.
     */
    public ReleaseReport releaseBelow(long seq) {
        checkOpen();
        return Truncation.releaseBelow(cq, seq, Long.MAX_VALUE, fsync);
    }

    /**
     * As {@link #releaseBelow(long)}, keeping also every file whose roll period ended less than
     * {@code retention} ago by the changelog's clock ({@link ChangelogOptions#clockMillis()}): what
     * readers that restart from an older position (a restored Flink source) may still need.
     */
    public ReleaseReport releaseBelow(long seq, java.time.Duration retention) {
        checkOpen();
        long now = cq.options().clockMillis().getAsLong();
        long retained = retention.toMillis();
        return Truncation.releaseBelow(cq, seq, retained >= now ? Long.MIN_VALUE : now - retained, fsync);
    }

    /**
     * Returns a new tailer; safe from any thread. Throws {@link SeqReleasedException} if it should
     * start at a released seq, {@link CorruptionException} if positioning meets a damaged record.
     */
    public ChangelogTailer newTailer(TailerOptions options) {
        checkOpen();
        return cq.newTailer(options);
    }

    /**
     * Returns the highest seq appended (or recovered), or -1: the next append must exceed it. After
     * an open with {@link UncommittedPolicy#ABORT} it includes the aborted records. Writer thread.
     */
    public long lastSeq() {
        return lastSeq;
    }

    /** Returns the committed watermark, or -1. Any thread. */
    public long committedSeq() {
        return cq.watermark().committedSeq();
    }

    /** Returns the last committed checkpoint id, or -1. Any thread. */
    public long lastCheckpointId() {
        return cq.watermark().state().checkpointId();
    }

    /** Returns the highest seq in a released file, or -1. Any thread. */
    public long releasedSeq() {
        return cq.watermark().releasedSeq();
    }

    /** Returns what recovery found and did when this writer opened. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** Returns the changelog directory. */
    public Path dir() {
        return cq.dir();
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("changelog writer " + cq.name());
        }
    }

    /**
     * Closes the queue and releases the writer lock. Records appended but not committed stay in
     * the files (a later writer finds them, uncommitted). Tailers of this writer must be closed first.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            appender.close();
            cq.close();
        } finally {
            try {
                lock.release();
            } catch (IOException ignored) {
                // The channel close below releases it too.
            }
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a lock file: nothing to recover.
        }
    }
}
