package io.floe.kernel;

import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.changelog.TailerOptions;
import io.floe.common.error.ClosedException;
import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.schema.Schema;
import io.floe.kernel.bucket.Bucket;
import io.floe.kernel.bucket.BucketRecovery;
import io.floe.kernel.bucket.RecoverySettings;
import io.floe.kernel.bucket.BucketStats;
import io.floe.kernel.bucket.TableContext;
import io.floe.kernel.manifest.VersionSet;
import io.floe.kernel.merge.MergeEngine;
import io.floe.kernel.merge.MergeEngines;
import io.floe.kernel.options.ChangelogProducer;
import io.floe.kernel.options.MergeEngineOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.read.BucketView;
import io.floe.kernel.table.OrphanFiles;
import io.floe.kernel.table.SstFiles;
import io.floe.kernel.table.TableLayout;
import io.floe.kernel.table.TableLock;
import java.util.concurrent.Executor;
import org.agrona.DirectBuffer;

/**
 * An open primary-key table: its buckets (each an LSM tree with its own changelog), its manifest
 * and its SST readers. Obtained from {@link Floe#createTable}, {@link Floe#openTable} or
 * {@link Floe#table}; closed by {@link #close()} or by closing the {@link Floe}.
 *
 * <ul>
 *   <li>Write: {@link #writer(int)} for each bucket a sink subtask owns; route rows with
 *       {@link #bucketOf(RowReader)}.</li>
 *   <li>Batch read: {@link #snapshot()}, then {@link Snapshot#scan} per bucket.</li>
 *   <li>Streaming read: {@link #snapshot()}, scan, then {@link #tail(int, long, IsolationLevel)}
 *       each bucket from {@code snapshot.seq(bucket) + 1}.</li>
 *   <li>Lookup join: {@link #newLookup()} (or {@link #get(DirectBuffer, int, int)}, which copies) by
 *       encoded key ({@link #keyEncoder()}).</li>
 * </ul>
 *
 * <p>Threads: every method is safe from any thread; a {@link BucketWriter} is single-owner.
 */
public final class Table implements AutoCloseable {
    private final String name;
    private final TableContext ctx;
    private final TableLock lock;
    private final Bucket[] buckets;
    /** Guarded by this: which buckets have an open writer. */
    private final boolean[] writerOpen;
    /** Guarded by this. */
    private boolean closed;
    /** Point reads under way ({@link Lookup#get}, {@link Snapshot#get}): {@link #close()} waits for them before it closes the files. */
    private final ReadGate reads = new ReadGate();
    /** What a point read refused by {@link #reads} names (made once: {@link #enterRead()} is on the lookup path). */
    private final String readsWhat;
    private final Runnable onClose;

    private Table(String name, TableContext ctx, TableLock lock, Bucket[] buckets, Runnable onClose) {
        this.name = name;
        this.readsWhat = "table " + name;
        this.ctx = ctx;
        this.lock = lock;
        this.buckets = buckets;
        this.writerOpen = new boolean[buckets.length];
        this.onClose = onClose;
    }

    /**
     * Opens the created table in {@code layout} (stored {@code schema}, effective {@code options}):
     * locks it, opens the manifest, deletes orphan SSTs and recovers every bucket from its changelog.
     */
    static Table open(String name, TableLayout layout, Schema schema, TableOptions options, OffHeapAllocator allocator,
                      Executor background, RecoverySettings recovery, Runnable onClose) {
        TableLock lock = TableLock.acquire(layout.dir());
        SstFiles files = new SstFiles(layout, allocator);
        VersionSet versions = null;
        Bucket[] buckets = new Bucket[options.buckets()];
        try {
            versions = VersionSet.open(layout.manifestDir(), options.buckets(), VersionSet.DEFAULT_ROLL_BYTES, files);
            try (VersionSet.Pin pin = versions.pin()) {
                OrphanFiles.delete(layout, pin.version());
            }
            MergeEngine writeEngine = MergeEngines.create(schema, options.mergeEngine());
            MergeEngine readEngine = options.changelogProducer() == ChangelogProducer.FULL
                    ? MergeEngines.create(schema, MergeEngineOptions.deduplicate()) : writeEngine;
            TableContext ctx = new TableContext(layout, schema, options, readEngine, writeEngine, allocator, versions, files, background,
                    recovery.changelogTemplate().clockMillis());
            for (int b = 0; b < buckets.length; b++) {
                buckets[b] = BucketRecovery.open(ctx, b, recovery);
            }
            return new Table(name, ctx, lock, buckets, onClose);
        } catch (RuntimeException | Error e) {
            for (Bucket b : buckets) {
                if (b != null) {
                    b.close();
                }
            }
            if (versions != null) {
                versions.close();
            }
            files.close();
            lock.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** Returns the table's schema (the stored one). */
    public Schema schema() {
        return ctx.schema();
    }

    /** Returns the options in effect. */
    public TableOptions options() {
        return ctx.options();
    }

    public int bucketCount() {
        return buckets.length;
    }

    /** Returns a new encoder of this table's keys (single-owner, like every {@link KeyEncoder}). */
    public KeyEncoder keyEncoder() {
        return new KeyEncoder(ctx.schema());
    }

    /** Returns the bucket of the encoded key {@code key[offset, offset+length)}: {@link BucketRouting#bucketOf}. */
    public int bucketOf(DirectBuffer key, int offset, int length) {
        return BucketRouting.bucketOf(key, offset, length, buckets.length);
    }

    /** Returns the bucket of {@code row} (a row of this table's schema). Allocates a small key buffer; sinks route with {@link #keyEncoder()}. */
    public int bucketOf(RowReader row) {
        KeyEncoder encoder = new KeyEncoder(ctx.schema());
        byte[] key = new byte[encoder.maxLength(row)];
        int length = encoder.encode(row, new org.agrona.concurrent.UnsafeBuffer(key), 0);
        return BucketRouting.bucketOf(new org.agrona.concurrent.UnsafeBuffer(key), 0, length, buckets.length);
    }

    /**
     * Returns the writer of bucket {@code bucket}. Throws {@link IllegalStateException} if the
     * bucket already has an open writer, {@link ClosedException} if the table is closed.
     */
    public synchronized BucketWriter writer(int bucket) {
        checkOpen();
        if (writerOpen[bucket]) {
            throw new IllegalStateException("bucket " + bucket + " of table " + name + " already has an open writer");
        }
        writerOpen[bucket] = true;
        return new BucketWriter(this, buckets[bucket]);
    }

    /**
     * Commits bucket {@code bucket} up to the prepared {@code seq} under {@code checkpointId}: what
     * {@link BucketWriter#commitPrepared} does, for a committer that runs on another thread than
     * the writer or after the writer closed. Safe from any thread, concurrently with the bucket's
     * writes. Returns the committed seq; idempotent by checkpoint id.
     * Throws {@link IllegalArgumentException} as {@link BucketWriter#commitPrepared} does,
     * {@link IndexOutOfBoundsException} if there is no such bucket, {@link ClosedException} if the table is closed.
     */
    public long commit(int bucket, long checkpointId, long seq) {
        checkOpen();
        return buckets[java.util.Objects.checkIndex(bucket, buckets.length)].commitPrepared(checkpointId, seq);
    }

    synchronized void releaseWriter(int bucket) {
        writerOpen[bucket] = false;
    }

    /** Returns a consistent snapshot of every bucket with every write so far (read-uncommitted); close it when done. */
    public Snapshot snapshot() {
        return snapshot(IsolationLevel.READ_UNCOMMITTED);
    }

    /**
     * Returns a consistent snapshot of every bucket; close it when done. At
     * {@link IsolationLevel#READ_COMMITTED} each bucket is read at its committed seq (what
     * read-committed tailers have returned when they reach it), at
     * {@link IsolationLevel#READ_UNCOMMITTED} at its last write. {@link Snapshot#seq(int)} says
     * which; continue a stream with a tailer of the same isolation from {@code seq(bucket) + 1}.
     */
    public Snapshot snapshot(IsolationLevel isolation) {
        checkOpen();
        boolean committedOnly = isolation == IsolationLevel.READ_COMMITTED;
        Bucket.RetainedMemtables[] retained = new Bucket.RetainedMemtables[buckets.length];
        try {
            for (int b = 0; b < buckets.length; b++) {
                retained[b] = buckets[b].retainMemtables(committedOnly);
            }
        } catch (RuntimeException e) {
            for (Bucket.RetainedMemtables r : retained) {
                if (r != null) {
                    r.memtables().forEach(m -> m.release());
                }
            }
            for (int b = 0; b < buckets.length; b++) {
                if (retained[b] != null) {
                    buckets[b].releaseSnapshot(retained[b].seq());
                }
            }
            throw e;
        }
        // Pinned after the memtables were taken: a memtable flushed in between is in the pinned version and left out of the view.
        VersionSet.Pin pin = ctx.versions().pin();
        BucketView[] views = new BucketView[buckets.length];
        for (int b = 0; b < buckets.length; b++) {
            var bv = pin.version().bucket(b);
            Bucket bucket = buckets[b];
            long seq = retained[b].seq();
            views[b] = new BucketView(b, seq, retained[b].memtables(), bv.runs(), bv.flushedSeq(), ctx.files(),
                    () -> bucket.releaseSnapshot(seq));
        }
        return new Snapshot(this, pin, views);
    }

    /**
     * Returns a copy of the newest row of the encoded key {@code key[offset, offset+length)}, or null
     * if there is none (point lookup: memtables, then sorted runs newest first with key ranges and bloom filters).
     */
    public byte[] get(DirectBuffer key, int offset, int length) {
        try (Snapshot s = snapshot()) {
            return s.get(key, offset, length);
        }
    }

    /** Returns a reusable point-lookup handle (single owner) of every write so far; close it before the table. */
    public Lookup newLookup() {
        return newLookup(IsolationLevel.READ_UNCOMMITTED);
    }

    /**
     * Returns a reusable point-lookup handle (single owner) that reads each bucket at its committed
     * seq ({@link IsolationLevel#READ_COMMITTED}) or its last write; close it before the table.
     */
    public Lookup newLookup(IsolationLevel isolation) {
        checkOpen();
        return new Lookup(this, buckets, isolation);
    }

    /** Returns a copy of the newest row whose key columns equal those of {@code row}, or null. */
    public byte[] get(RowReader row) {
        KeyEncoder encoder = new KeyEncoder(ctx.schema());
        try (GrowableBuffer key = new GrowableBuffer(ctx.allocator(), MemoryPurpose.ROW, 64)) {
            int length = encoder.encode(row, key);
            return get(key.buffer(), 0, length);
        }
    }

    /**
     * Returns a tailer of bucket {@code bucket}'s changelog from the first record with seq at least
     * {@code fromSeq} (use {@code snapshot.seq(bucket) + 1} to continue a snapshot), at
     * {@code isolation}. The tailer is single-owner; close it before the table. Records carry
     * {@code (seq, kind, key, row)}; with {@code changelog-producer = full} they are a complete
     * changelog (+I, -U/+U with old and new rows, -D with the old row).
     */
    public ChangelogTailer tail(int bucket, long fromSeq, IsolationLevel isolation) {
        checkOpen();
        return buckets[bucket].changelog().newTailer(TailerOptions.fromSeq(Math.max(0, fromSeq)).withIsolation(isolation));
    }

    /**
     * Merges every sorted run of bucket {@code bucket} into one bottom run now, on the calling
     * thread, dropping versions no snapshot needs and deletes (tests and tools; compactions
     * otherwise run by themselves after flushes, as the universal picker decides).
     */
    public void compact(int bucket) {
        checkOpen();
        buckets[bucket].compactAll();
    }

    /**
     * Returns the first seq of bucket {@code bucket} whose change was committed at or after
     * {@code epochMillis} (by the store's clock): tail from it to read "from a timestamp". 0 if no
     * recorded commit of the bucket is older (every change). The resolution is the commit: a change
     * is dated by the commit that published it. Throws {@link IndexOutOfBoundsException} if there is
     * no such bucket, {@code CorruptionException} if the bucket's commit-time log is damaged.
     */
    public long firstSeqCommittedFrom(int bucket, long epochMillis) {
        checkOpen();
        return buckets[java.util.Objects.checkIndex(bucket, buckets.length)].firstSeqCommittedFrom(epochMillis);
    }

    /** Returns what bucket {@code bucket} holds now: its seqs and sorted runs (see {@link BucketShape}). */
    public BucketShape shape(int bucket) {
        checkOpen();
        Bucket b = buckets[java.util.Objects.checkIndex(bucket, buckets.length)];
        try (VersionSet.Pin pin = ctx.versions().pin()) {
            var bv = pin.version().bucket(bucket);
            return new BucketShape(bucket, b.lastSeq(), b.changelog().committedSeq(), bv.flushedSeq(), bv.runs());
        }
    }

    /** Returns the counters of bucket {@code bucket} (write stalls, flushes, compactions, runs). */
    public BucketStats stats(int bucket) {
        return buckets[bucket].stats();
    }

    TableContext context() {
        return ctx;
    }

    /** Admits a point read (the caller must {@link #exitRead()}). Throws {@link ClosedException} if the table is closed. */
    void enterRead() {
        reads.enter(readsWhat);
    }

    void exitRead() {
        reads.exit();
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new ClosedException("table " + name + " is closed");
        }
    }

    /**
     * Waits for running flushes, closes every bucket, the manifest and the SST readers, and unlocks
     * the directory, after the point reads under way on other threads end (later ones throw
     * {@link ClosedException}). Requires: snapshots, scans, tailers and writers are closed. Idempotent.
     * Throws {@code FloeException} after closing everything if a bucket's background flush or
     * compaction failed (its writes are safe in the changelog and replayed at the next open).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        reads.closeAndAwait();
        RuntimeException failure = null;
        for (Bucket b : buckets) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        ctx.versions().close();
        ctx.files().close();
        lock.close();
        onClose.run();
        if (failure != null) {
            throw failure;
        }
    }
}
