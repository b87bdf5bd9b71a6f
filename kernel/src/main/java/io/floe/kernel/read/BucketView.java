package io.floe.kernel.read;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.SortedRun;
import io.floe.kernel.merge.KeyFolder;
import io.floe.kernel.table.SstFiles;
import io.floe.memtable.EntryView;
import io.floe.memtable.Memtable;
import io.floe.memtable.MemtableIterator;
import io.floe.sst.EntryIterator;
import io.floe.sst.PointLookup;
import io.floe.sst.SstReader;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * What one snapshot sees of one bucket: entries with {@code seq <= seq()} in the retained
 * memtables (newest first) and the sorted runs of a pinned version (newest first). Memtables and
 * runs hold disjoint seqs: a memtable already flushed into the pinned version is left out.
 *
 * <p>Memory: holds one reference to each memtable, given back by {@link #close()}; the version
 * pin belongs to whoever made the view and must outlive it; {@code onClose} runs once at close
 * (it unregisters the snapshot from its bucket). Threads: reads ({@link #get},
 * {@link #sources}) are safe from any thread, each call using its own cursors.
 */
public final class BucketView implements AutoCloseable {
    private final int bucket;
    private final long seq;
    private final List<Memtable> memtables;
    private final List<SortedRun> runs;
    private final SstFiles files;
    private final Runnable onClose;
    private boolean closed;

    /**
     * Requires: {@code memtables} newest first, each retained for this view; {@code runs} from a
     * version pinned for the view's life, with {@code flushedSeq} its bucket's flushed seq. Memtables
     * wholly at or below {@code flushedSeq} are released at once.
     */
    public BucketView(int bucket, long seq, List<Memtable> memtables, List<SortedRun> runs, long flushedSeq, SstFiles files,
                      Runnable onClose) {
        this.onClose = onClose;
        this.bucket = bucket;
        this.seq = seq;
        List<Memtable> kept = new ArrayList<>(memtables.size());
        for (Memtable m : memtables) {
            if (m.isEmpty() || m.maxSeq() <= flushedSeq) {
                m.release();
            } else {
                kept.add(m);
            }
        }
        this.memtables = List.copyOf(kept);
        this.runs = runs;
        this.files = files;
    }

    public int bucket() {
        return bucket;
    }

    /** Returns the seq of the snapshot: entries above it are invisible. */
    public long seq() {
        return seq;
    }

    /** Returns new sources over every memtable and run, newest first; the caller closes them. */
    public List<EntrySource> sources() {
        return sources(null);
    }

    /**
     * As {@link #sources()}, with SST files skipped by their statistics when they cannot hold a key
     * matching {@code keyPredicate}. Requires: it is null or names only primary key columns.
     */
    public List<EntrySource> sources(io.floe.sst.Predicate keyPredicate) {
        List<EntrySource> sources = new ArrayList<>(memtables.size() + runs.size());
        for (Memtable m : memtables) {
            sources.add(new MemtableSource(m, seq));
        }
        for (SortedRun r : runs) {
            sources.add(new RunSource(files, r, seq, keyPredicate));
        }
        return sources;
    }

    /**
     * Folds the visible entries of {@code key[offset, offset+length)} into {@code folder} (reset by
     * this call), newest first, stopping as soon as older entries cannot change the result; SST
     * files are asked through their key range and bloom filter first. Returns {@code folder.hasRow()}.
     */
    public boolean get(DirectBuffer key, int offset, int length, KeyFolder folder, EntryView view) {
        folder.reset();
        boolean more = true;
        for (int i = 0; i < memtables.size() && more; i++) {
            Memtable m = memtables.get(i);
            if (folder.engine().newestWins()) {
                if (m.get(key, offset, length, seq, view)) {
                    more = add(folder, view.kind(), view.value(), 0, view.valueLength());
                }
                continue;
            }
            try (MemtableIterator it = m.newIterator()) {
                for (it.seek(key, offset, length, seq); more && it.isValid() && sameKey(it.key(), 0, it.keyLength(), key, offset, length);
                     it.next()) {
                    if (it.seq() <= seq) {
                        more = add(folder, it.kind(), it.value(), 0, it.valueLength());
                    }
                }
            }
        }
        for (int r = 0; r < runs.size() && more; r++) {
            FileMeta f = fileFor(runs.get(r), key, offset, length);
            if (f == null) {
                continue;
            }
            SstReader reader = files.reader(f);
            try (PointLookup lookup = reader.newLookup()) {
                if (!lookup.get(key, offset, length, seq)) {
                    continue;
                }
                if (folder.engine().newestWins()) {
                    more = add(folder, lookup.kind(), lookup.rowBuffer(), 0, lookup.rowLength());
                    continue;
                }
            }
            try (EntryIterator it = reader.newIterator()) {
                for (it.seek(key, offset, length); more && it.valid()
                        && sameKey(it.keyBuffer(), it.keyOffset(), it.keyLength(), key, offset, length); it.next()) {
                    if (it.seq() <= seq) {
                        more = it.kind() == RowKind.DELETE ? folder.addDelete()
                                : folder.addUpsert(it.row().buffer(), it.row().offset(), it.row().length());
                    }
                }
            }
        }
        return folder.hasRow();
    }

    private static boolean add(KeyFolder folder, RowKind kind, DirectBuffer row, int offset, int length) {
        return kind == RowKind.DELETE ? folder.addDelete() : folder.addUpsert(row, offset, length);
    }

    private static boolean sameKey(DirectBuffer a, int ao, int al, DirectBuffer b, int bo, int bl) {
        return ByteComparisons.compare(a, ao, al, b, bo, bl) == 0;
    }

    /** Returns the file of {@code run} whose key range holds the key, or null. */
    private static FileMeta fileFor(SortedRun run, DirectBuffer key, int offset, int length) {
        List<FileMeta> fs = run.files();
        int lo = 0;
        int hi = fs.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ByteComparisons.compare(key, offset, length, fs.get(mid).largestKey()) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == fs.size() || ByteComparisons.compare(key, offset, length, fs.get(lo).smallestKey()) < 0) {
            return null;
        }
        return fs.get(lo);
    }

    /** Gives back the memtable references. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Memtable m : memtables) {
            m.release();
        }
        onClose.run();
    }
}
