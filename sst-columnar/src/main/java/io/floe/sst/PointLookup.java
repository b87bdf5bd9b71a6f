package io.floe.sst;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.error.CorruptionException;
import io.floe.common.row.RowReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Point lookups in one SST: the newest version of a key with {@code seq <= snapshot}. A lookup
 * checks the file's key range, finds the row group and page by their last keys, asks the row
 * group's bloom filter, then decodes the key and seq pages (and, on a hit, the page's value
 * columns) of usually one page position.
 *
 * <pre>
 * try (PointLookup lookup = reader.newLookup()) {
 *     if (lookup.get(key, 0, keyLength, snapshotSeq)) { lookup.seq(); lookup.kind(); lookup.row().getLong(1); }
 * }
 * </pre>
 *
 * <p>A lookup made with a {@link PageCache} ({@link SstReader#newLookup(PageCache)}) takes its
 * decoded pages from the cache, which lookups of many files may share, and keeps no pages itself:
 * after warm-up a {@link #get} whose pages are cached reads no file and allocates nothing.
 *
 * <p>Memory: decoded pages (unless cached) and the row buffer are off-heap from the reader's
 * allocator, freed by {@link #close()}, which also drops the file's pages from the cache; the found
 * row is valid until the next {@link #get} or close.
 * Threads: single owner; take one per thread from the shared {@link SstReader}; lookups sharing a
 * cache belong to the cache's one owner.
 */
public final class PointLookup implements AutoCloseable {
    private final SstReader reader;
    private final PageCache cache;
    private final ScanStats stats = new ScanStats();
    private final PageCursor cursor;
    private final RowAssembler assembler;
    private final RowReader rowView;
    private long seq;
    private RowKind kind;

    PointLookup(SstReader reader, PageCache cache) {
        this.reader = reader;
        this.cache = cache;
        this.cursor = new PageCursor(reader, stats, cache);
        this.assembler = new RowAssembler(reader.columns, reader.allocator);
        this.rowView = new RowReader(reader.schema()).source(reader.file.name());
    }

    /**
     * Returns iff the file holds a version of {@code key[offset, offset + length)} with
     * {@code seq <= snapshotSeq}; then {@link #seq()}, {@link #kind()} and {@link #row()} describe
     * the newest such version. A delete is found like any other kind: the caller interprets it.
     * Throws {@link CorruptionException} if a page read on the way is corrupt.
     */
    public boolean get(DirectBuffer key, int offset, int length, long snapshotSeq) {
        Footer f = reader.footer;
        if (ByteComparisons.compare(key, offset, length, f.minKey()) < 0 || ByteComparisons.compare(key, offset, length, f.maxKey()) > 0) {
            return false;
        }
        int g = reader.findRowGroup(key, offset, length);
        if (g >= reader.rowGroupCount() || ByteComparisons.compare(key, offset, length, f.rowGroups()[g].keyStats().min()) < 0) {
            return false;
        }
        if (!reader.bloomMayContain(g, Hashing.hash64(key, offset, length))) {
            stats.bloomNegatives++;
            return false;
        }
        int p = reader.findPage(g, key, offset, length);
        if (p >= reader.indexes[g].pageCount()) {
            return false;
        }
        if (cache != null) {
            cache.beginUse();
        }
        cursor.moveTo(g, p);
        while (true) {
            if (reader.indexes[cursor.group()].keys().compareWithMin(cursor.page(), key, offset, length) < 0) {
                return false;
            }
            ValueVector keys = cursor.column(SstLayout.KEY_COLUMN);
            int rows = cursor.rows();
            int i = lowerBound(keys, rows, key, offset, length);
            if (i < rows && compareAt(keys, i, key, offset, length) != 0) {
                return false;
            }
            ValueVector seqs = i < rows ? cursor.column(SstLayout.SEQ_COLUMN) : null;
            for (; i < rows && compareAt(keys, i, key, offset, length) == 0; i++) {
                if (seqs.getLong(i) <= snapshotSeq) {
                    found(i, seqs.getLong(i));
                    return true;
                }
            }
            if (i < rows || !cursor.advance()) {
                return false;
            }
        }
    }

    private void found(int i, long seqValue) {
        long k = cursor.column(SstLayout.KIND_COLUMN).getLong(i);
        if (k < 0 || k > 3) {
            throw new CorruptionException(reader.file.name(), -1, "row kind " + k + " in row group " + cursor.group() + " page " + cursor.page());
        }
        kind = RowKind.fromValue((byte) k);
        seq = seqValue;
        assembler.assemble(cursor, i);
        rowView.wrap(assembler.buffer(), 0, assembler.length());
    }

    static int lowerBound(ValueVector keys, int rows, DirectBuffer key, int offset, int length) {
        int lo = 0;
        int hi = rows;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compareAt(keys, mid, key, offset, length) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static int compareAt(ValueVector keys, int i, DirectBuffer key, int offset, int length) {
        return ByteComparisons.compare(keys.data(), keys.offset(i), keys.length(i), key, offset, length);
    }

    /** Returns the found version's sequence number. Requires: the last {@link #get} returned true. */
    public long seq() {
        return seq;
    }

    public RowKind kind() {
        return kind;
    }

    /** Returns a view of the found row; valid until the next {@link #get} or {@link #close()}. */
    public RowReader row() {
        return rowView;
    }

    /** Returns the found row's bytes at offset 0 ({@link #rowLength()} long). */
    public UnsafeBuffer rowBuffer() {
        return assembler.buffer();
    }

    public int rowLength() {
        return assembler.length();
    }

    /** Returns this object's counters (pages read, bloom negatives). */
    public ScanStats stats() {
        return stats;
    }

    @Override
    public void close() {
        cursor.close();
        assembler.close();
    }
}
