package io.floe.kernel;

import io.floe.common.bytes.Checksums;
import io.floe.common.RowKind;
import io.floe.common.error.ClosedException;
import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.kernel.bucket.Bucket;
import io.floe.kernel.bucket.FullChangelogProducer;
import io.floe.kernel.options.ChangelogProducer;
import io.floe.kernel.merge.MergeEngine;
import org.agrona.DirectBuffer;

/**
 * The writer of one bucket. Every write is appended to the bucket's changelog (its write-ahead
 * log) and inserted into its memtable under a new, per-bucket monotonic seq; {@link #commit} makes
 * everything written so far visible to read-committed tailers (and durable per the changelog's
 * sync mode), once per checkpoint id.
 *
 * <pre>
 * try (BucketWriter w = table.writer(bucket)) {
 *     w.upsert(rowBuffer, 0, rowLength);        // a binary row (RowWriter output) of the table schema
 *     w.delete(rowBuffer, 0, rowLength);        // only the key columns matter
 *     w.commit(checkpointId);                   // idempotent: a repeated or older id does nothing
 * }
 * </pre>
 *
 * <p>Two-phase (an exactly-once sink): {@code long seq = w.prepareCommit(id)} on the checkpoint
 * barrier, then {@code w.commitPrepared(id, seq)} (or {@link Table#commit(int, long, long)} from a
 * committer thread) once the checkpoint completes; open the store with
 * {@code RecoveryPolicy.ABORT_UNCOMMITTED} so that a restart drops what no commit published.
 *
 * <p>Rows must belong to this bucket ({@link Table#bucketOf(RowReader)}). When flushes fall behind,
 * a write waits for one (counted in {@link Table#stats(int)}); it is never rejected for that.
 *
 * <p>Threads: single owner, the thread of the Flink sink subtask that owns the bucket; at most one
 * open writer per bucket. Exception: {@link #commitPrepared} is safe from any thread. Memory: a key buffer and a row buffer from the table allocator, freed by
 * {@link #close()}. A write copies the row; the caller's buffer may be reused when it returns.
 */
public final class BucketWriter implements AutoCloseable {
    private final Table table;
    private final Bucket bucket;
    private final MergeEngine engine;
    private final KeyEncoder keys;
    private final RowReader input;
    private final GrowableBuffer key;
    /** Routes each written key without allocating (see {@link BucketRouting}). */
    private final Checksums.Hasher routing = new Checksums.Hasher();
    private final RowWriter prepared;
    /** Non-null iff the table's changelog producer is full. */
    private final FullChangelogProducer full;
    private boolean closed;

    BucketWriter(Table table, Bucket bucket) {
        this.table = table;
        this.bucket = bucket;
        this.engine = table.context().writeEngine();
        this.keys = new KeyEncoder(table.schema());
        this.input = new RowReader(table.schema()).source("row written to bucket " + bucket.id());
        this.key = new GrowableBuffer(table.context().allocator(), MemoryPurpose.ROW, 64);
        boolean isFull = table.options().changelogProducer() == ChangelogProducer.FULL;
        this.prepared = engine.needsPrepare() && !isFull ? new RowWriter(table.schema(), table.context().allocator()) : null;
        this.full = isFull ? new FullChangelogProducer(bucket) : null;
    }

    /** Returns the bucket this writer owns. */
    public int bucket() {
        return bucket.id();
    }

    /**
     * Writes the row {@code row[offset, offset+length)} (an upsert, +I): the merge engine combines
     * it with the key's earlier rows. Returns its seq (with {@code changelog-producer = full}: the
     * seq of the +I/+U, or -1 if the row did not change the key's state).
     * Throws {@link IllegalArgumentException} if the row belongs to another bucket,
     * {@link io.floe.common.error.FloeException} on an I/O error or a failed background flush.
     */
    public long upsert(DirectBuffer row, int offset, int length) {
        int keyLength = encodeKey(row, offset, length);
        if (full != null) {
            return full.upsert(key.buffer(), keyLength, row, offset, length);
        }
        if (prepared != null) {
            engine.prepare(input, prepared);
            return bucket.write(RowKind.INSERT, key.buffer(), 0, keyLength, prepared.buffer(), 0, prepared.length());
        }
        return bucket.write(RowKind.INSERT, key.buffer(), 0, keyLength, row, offset, length);
    }

    /**
     * Deletes the key of the row {@code row[offset, offset+length)} (a -D); the other columns are
     * kept in the changelog as given (with {@code changelog-producer = full}, the -D carries the old
     * row, and deleting an absent key writes nothing and returns -1). Returns its seq.
     * Throws {@code UnsupportedChangeException} if the merge engine rejects deletes, else as {@link #upsert}.
     */
    public long delete(DirectBuffer row, int offset, int length) {
        engine.checkDelete();
        int keyLength = encodeKey(row, offset, length);
        if (full != null) {
            return full.delete(key.buffer(), keyLength);
        }
        return bucket.write(RowKind.DELETE, key.buffer(), 0, keyLength, row, offset, length);
    }

    /**
     * Writes a change of kind {@code kind} as Flink delivers it: +I and +U are upserts, -D and -U
     * deletes (a -U retracts the key's row, as a -D does). Returns its seq.
     */
    public long write(RowKind kind, DirectBuffer row, int offset, int length) {
        return kind.isAdd() ? upsert(row, offset, length) : delete(row, offset, length);
    }

    /**
     * Commits everything written so far under {@code checkpointId}. Idempotent by checkpoint id: if
     * {@code checkpointId} is not above the last committed id, nothing happens. Returns the
     * committed seq (what read-committed tailers may now read up to).
     */
    public long commit(long checkpointId) {
        checkOpen();
        return bucket.commit(checkpointId);
    }

    /**
     * Phase one of a two-phase commit, on the checkpoint barrier: makes every write so far durable
     * per the changelog's sync mode (fsynced with {@code FSYNC_ON_COMMIT}) and returns the prepared
     * seq, the last seq written (the committed seq if nothing was written since; -1 if nothing ever
     * was). The writes stay invisible to read-committed tailers until {@link #commitPrepared} (or
     * {@link Table#commit(int, long, long)}) of that seq; writes may continue meanwhile. Nothing
     * about the prepare is recorded on disk: if the process dies before the commit, an open with
     * {@code RecoveryPolicy.ABORT_UNCOMMITTED} aborts the prepared writes like any uncommitted
     * ones. {@code checkpointId} names the checkpoint in errors only.
     *
     * <p>Requires: the writer's thread; {@code checkpointId >= 0}. Throws
     * {@link io.floe.common.error.FloeIOException} if an fsync fails.
     */
    public long prepareCommit(long checkpointId) {
        checkOpen();
        if (checkpointId < 0) {
            throw new IllegalArgumentException("checkpoint id must be >= 0, got " + checkpointId + " (bucket " + bucket.id() + ")");
        }
        return bucket.prepare();
    }

    /**
     * Phase two: publishes the committed watermark {@code checkpointId, seq} of this bucket, so
     * read-committed tailers read up to exactly {@code seq}, even if more was written since.
     * Idempotent by checkpoint id: a repeated or older id does nothing and returns the committed seq.
     * Returns the committed seq.
     *
     * <p>Requires: {@code seq} was returned by {@link #prepareCommit} (or is the committed seq).
     * Safe from any thread (also after this writer is closed, through {@link Table#commit(int, long, long)}).
     * Throws {@link IllegalArgumentException} naming both seqs if {@code seq} is above the last
     * prepared seq, below the committed seq, or was aborted.
     */
    public long commitPrepared(long checkpointId, long seq) {
        return bucket.commitPrepared(checkpointId, seq);
    }

    /**
     * Restores the bucket to a restore point when a writer (re)starts, e.g. a Flink sink subtask
     * restored from a checkpoint: commits the writes up to {@code seq} under {@code commitId} (the
     * prepared seq the restored checkpoint holds; a no-op if that commit already happened), then
     * aborts every write above the committed seq, in the changelog and the memtables. Returns the
     * committed seq. With {@code RecoveryPolicy.DEFER_TO_WRITER} the bucket refuses writes until
     * this (or {@link #abortUncommitted()}) is called.
     *
     * <p>Requires: the store was opened with {@code RecoveryPolicy.ABORT_UNCOMMITTED} or
     * {@code DEFER_TO_WRITER}; called before this writer writes; {@code commitId, seq >= 0}.
     * Throws {@link IllegalStateException} with {@code KEEP_UNCOMMITTED}; {@link IllegalArgumentException}
     * if {@code seq} is not a committable seq of this bucket (above the last write, below the
     * committed seq, or aborted).
     */
    public long restore(long commitId, long seq) {
        checkOpen();
        if (commitId < 0 || seq < 0) {
            throw new IllegalArgumentException("a restore point needs commitId >= 0 and seq >= 0, got " + commitId + ", " + seq
                    + " (bucket " + bucket.id() + ")");
        }
        return bucket.restore(commitId, seq);
    }

    /**
     * Aborts every write above the committed seq (a writer that starts afresh: nothing it has not
     * committed survives). Returns the committed seq. Requires and throws as {@link #restore}.
     */
    public long abortUncommitted() {
        checkOpen();
        return bucket.restore(-1, -1);
    }

    /** Returns the last committed checkpoint id, or -1 if none (also after reopening). */
    public long lastCommittedCheckpoint() {
        return bucket.changelog().lastCheckpointId();
    }

    /** Flushes every write so far to SSTs and waits for it (tests and tools; normally flushes happen by themselves). */
    public void flush() {
        checkOpen();
        bucket.flush();
    }

    private int encodeKey(DirectBuffer row, int offset, int length) {
        checkOpen();
        input.wrap(row, offset, length);
        int keyLength = keys.encode(input, key);
        int owner = BucketRouting.bucketOf(routing, key.buffer(), 0, keyLength, table.bucketCount());
        if (owner != bucket.id()) {
            throw new IllegalArgumentException("the row belongs to bucket " + owner + ", not to bucket " + bucket.id()
                    + " of this writer (see Table.bucketOf)");
        }
        return keyLength;
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("writer of bucket " + bucket.id() + " is closed");
        }
    }

    /** Gives up ownership of the bucket (another writer may be taken) and frees the buffers. Writes stay. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        key.close();
        if (prepared != null) {
            prepared.close();
        }
        if (full != null) {
            full.close();
        }
        table.releaseWriter(bucket.id());
    }
}
