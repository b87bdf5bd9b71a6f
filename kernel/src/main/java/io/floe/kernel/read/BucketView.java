package io.floe.kernel.read;

import io.floe.kernel.manifest.SortedRun;
import io.floe.kernel.merge.KeyFolder;
import io.floe.kernel.table.SstFiles;
import io.floe.memtable.EntryView;
import io.floe.memtable.Memtable;
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
        return sources(keyPredicate, null);
    }

    /**
     * As {@link #sources(io.floe.sst.Predicate)}, with SST sources reading only the schema columns
     * {@code c} with {@code columns[c]} (all, if null): their rows' other columns are null
     * ({@link ReadColumns}; fold them with {@link ProjectedEngine}). Memtable rows stay whole.
     */
    public List<EntrySource> sources(io.floe.sst.Predicate keyPredicate, boolean[] columns) {
        List<EntrySource> sources = new ArrayList<>(memtables.size() + runs.size());
        for (Memtable m : memtables) {
            sources.add(new MemtableSource(m, seq));
        }
        for (SortedRun r : runs) {
            sources.add(new RunSource(files, r, seq, keyPredicate, columns));
        }
        return sources;
    }

    /**
     * Folds the visible entries of {@code key[offset, offset+length)} into {@code folder} (reset by
     * this call), newest first, stopping as soon as older entries cannot change the result; SST
     * files are asked through their key range and bloom filter first. Returns {@code folder.hasRow()}.
     */
    public boolean get(DirectBuffer key, int offset, int length, KeyFolder folder, EntryView view) {
        return PointFold.fold(memtables, Long.MIN_VALUE, runs, seq, files, null, key, offset, length, folder, view);
    }

    /**
     * As {@link #get(DirectBuffer, int, int, KeyFolder, EntryView)}, with the SST point lookups (and
     * their cached pages) kept in {@code lookups} across calls, as a {@code Lookup} does.
     * Requires: {@code lookups} belongs to the calling thread and reads this view's table, and the
     * caller gave it the pinned version ({@link FileLookups#retainOnly}) so removed files are dropped.
     */
    public boolean get(DirectBuffer key, int offset, int length, KeyFolder folder, EntryView view, FileLookups lookups) {
        return PointFold.fold(memtables, Long.MIN_VALUE, runs, seq, files, lookups, key, offset, length, folder, view);
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
