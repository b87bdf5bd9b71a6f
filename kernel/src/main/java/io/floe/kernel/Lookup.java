package io.floe.kernel;

import io.floe.changelog.IsolationLevel;
import io.floe.common.bytes.Checksums;
import io.floe.common.error.ClosedException;
import io.floe.common.row.RowReader;
import io.floe.kernel.bucket.Bucket;
import io.floe.kernel.manifest.BucketVersion;
import io.floe.kernel.manifest.Version;
import io.floe.kernel.manifest.VersionSet;
import io.floe.kernel.merge.KeyFolder;
import io.floe.kernel.read.FileLookups;
import io.floe.kernel.read.PointFold;
import io.floe.memtable.EntryView;
import io.floe.memtable.Memtable;
import io.floe.sst.PageCache;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * Point lookups of the newest row of a key (the newest committed row with
 * {@link IsolationLevel#READ_COMMITTED}), for lookup joins: memtables newest first, then sorted
 * runs newest first, each SST asked through its key range and bloom filter before any page is read.
 * Reuses its row buffers across calls (unlike {@link Table#get}, which copies the row out), and
 * keeps per-file lookup state and a bounded cache of decoded SST pages across calls
 * ({@link FileLookups}, {@link PageCache}): a lookup whose pages are cached reads no file.
 *
 * <pre>
 * try (Lookup lookup = table.newLookup()) {
 *     if (lookup.get(key, 0, keyLength)) { RowReader row = lookup.row(); ... }
 * }
 * </pre>
 *
 * <p>Memory: the folded row lives in off-heap buffers from the table allocator; the page cache
 * holds at most {@link #cacheBudgetBytes()} of decoded pages (plus the pages of the lookup under
 * way), from the same allocator; all freed by {@link #close()}. Pages of files removed by a
 * compaction or flush are freed at the first {@link #get} that pins a version without them.
 * {@link #row()} is valid until the next {@link #get}. A get allocates nothing on the heap once the
 * files it reads have lookup state and their pages are cached (it routes with its own hasher and
 * pins the version without a {@code Pin} object). Threads: single owner.
 */
public final class Lookup implements AutoCloseable {
    /** The default budget of decoded SST pages a lookup keeps. */
    public static final long DEFAULT_CACHE_BYTES = 64L << 20;

    private final Table table;
    private final Bucket[] buckets;
    private final KeyFolder folder;
    private final FileLookups lookups;
    private final EntryView view = new EntryView();
    /** Routes keys to buckets ({@link BucketRouting}) without a CRC32C per call. */
    private final Checksums.Hasher routing = new Checksums.Hasher();
    /** Iff true, each get reads at its bucket's committed seq. */
    private final boolean committedOnly;
    /** The memtables the get under way retained, newest first (reused: a get allocates no list). */
    private final List<Memtable> memtables = new java.util.ArrayList<>(4);
    private boolean found;
    private boolean closed;

    Lookup(Table table, Bucket[] buckets, IsolationLevel isolation) {
        this.table = table;
        this.buckets = buckets;
        this.committedOnly = isolation == IsolationLevel.READ_COMMITTED;
        this.folder = new KeyFolder(table.context().engine(), table.context().allocator());
        this.lookups = new FileLookups(table.context().files(), new PageCache(table.context().allocator(), DEFAULT_CACHE_BYTES));
    }

    /**
     * Looks up the encoded key {@code key[offset, offset+length)} (see {@link Table#keyEncoder()}) in
     * its bucket. Returns iff the key has a row now; then {@link #row()} is it.
     */
    public boolean get(DirectBuffer key, int offset, int length) {
        if (closed) {
            throw new ClosedException("lookup is closed");
        }
        found = false;
        Bucket bucket = buckets[BucketRouting.bucketOf(routing, key, offset, length, buckets.length)];
        table.enterRead();
        try {
            return getInTable(bucket, key, offset, length);
        } finally {
            table.exitRead();
        }
    }

    /** The get, admitted by the table (which then does not close its files under it). */
    private boolean getInTable(Bucket bucket, DirectBuffer key, int offset, int length) {
        long seq = bucket.retainMemtables(committedOnly, memtables);
        VersionSet versions = table.context().versions();
        Version version = null;
        try {
            version = versions.retain(); // not pin(): a Pin object per get
            lookups.retainOnly(version);
            BucketVersion bv = version.bucket(bucket.id());
            found = PointFold.fold(memtables, bv.flushedSeq(), bv.runs(), seq, table.context().files(), lookups, key, offset, length,
                    folder, view);
            return found;
        } finally {
            if (version != null) {
                versions.release(version);
            }
            for (int i = 0; i < memtables.size(); i++) {
                memtables.get(i).release();
            }
            memtables.clear();
            bucket.releaseSnapshot(seq);
        }
    }

    /** Returns the row found by the last {@link #get}. Requires: it returned true. */
    public RowReader row() {
        if (!found) {
            throw new IllegalStateException("the last get found no row");
        }
        return folder.row();
    }

    /** Returns the budget of decoded SST pages this lookup keeps ({@link #DEFAULT_CACHE_BYTES} unless set). */
    public long cacheBudgetBytes() {
        return lookups.cache().budgetBytes();
    }

    /**
     * Sets the budget of decoded SST pages this lookup keeps (0: none beyond the pages of one
     * lookup); pages over it are freed by the next {@link #get}. Requires: {@code bytes >= 0}.
     */
    public Lookup setCacheBudgetBytes(long bytes) {
        lookups.cache().setBudgetBytes(bytes);
        return this;
    }

    /** Returns the number of SST files whose lookup state this lookup keeps (for tests). */
    int cachedFiles() {
        return lookups.files();
    }

    /** Returns the number of kept files that the version this lookup last pinned does not name (for tests: always 0). */
    int cachedFilesNotLive() {
        return lookups.filesOutsideSeenVersion();
    }

    /** Returns the page cache's counters: hits, misses, evictions and bytes (for tests and benchmarks). */
    public PageCache cache() {
        return lookups.cache();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            lookups.close();
            folder.close();
        }
    }
}
