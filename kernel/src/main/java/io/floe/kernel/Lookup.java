package io.floe.kernel;

import io.floe.common.error.ClosedException;
import io.floe.common.row.RowReader;
import io.floe.kernel.bucket.Bucket;
import io.floe.kernel.manifest.BucketVersion;
import io.floe.kernel.manifest.VersionSet;
import io.floe.kernel.merge.KeyFolder;
import io.floe.kernel.read.BucketView;
import io.floe.memtable.EntryView;
import org.agrona.DirectBuffer;

/**
 * Point lookups of the newest row of a key, for lookup joins: memtables newest first, then sorted
 * runs newest first, each SST asked through its key range and bloom filter before any page is read.
 * Reuses its row buffers across calls (unlike {@link Table#get}, which copies the row out).
 *
 * <pre>
 * try (Lookup lookup = table.newLookup()) {
 *     if (lookup.get(key, 0, keyLength)) { RowReader row = lookup.row(); ... }
 * }
 * </pre>
 *
 * <p>Memory: the folded row lives in off-heap buffers from the table allocator, freed by
 * {@link #close()}; {@link #row()} is valid until the next {@link #get}. Threads: single owner.
 */
public final class Lookup implements AutoCloseable {
    private final Table table;
    private final Bucket[] buckets;
    private final KeyFolder folder;
    private final EntryView view = new EntryView();
    private boolean found;
    private boolean closed;

    Lookup(Table table, Bucket[] buckets) {
        this.table = table;
        this.buckets = buckets;
        this.folder = new KeyFolder(table.context().engine(), table.context().allocator());
    }

    /**
     * Looks up the encoded key {@code key[offset, offset+length)} (see {@link Table#keyEncoder()}) in
     * its bucket. Returns iff the key has a row now; then {@link #row()} is it.
     */
    public boolean get(DirectBuffer key, int offset, int length) {
        if (closed) {
            throw new ClosedException("lookup is closed");
        }
        Bucket bucket = buckets[table.bucketOf(key, offset, length)];
        Bucket.RetainedMemtables r = bucket.retainMemtables();
        long seq = r.seq();
        VersionSet.Pin pin;
        try {
            pin = table.context().versions().pin();
        } catch (RuntimeException e) {
            r.memtables().forEach(m -> m.release());
            bucket.releaseSnapshot(seq);
            throw e;
        }
        try (pin) {
            BucketVersion bv = pin.version().bucket(bucket.id());
            try (BucketView v = new BucketView(bucket.id(), seq, r.memtables(), bv.runs(), bv.flushedSeq(), table.context().files(),
                    () -> bucket.releaseSnapshot(seq))) {
                found = v.get(key, offset, length, folder, view);
                return found;
            }
        }
    }

    /** Returns the row found by the last {@link #get}. Requires: it returned true. */
    public RowReader row() {
        if (!found) {
            throw new IllegalStateException("the last get found no row");
        }
        return folder.row();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            folder.close();
        }
    }
}
