package io.floe.kernel.read;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.row.RowReader;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.SortedRun;
import io.floe.kernel.table.SstFiles;
import io.floe.sst.EntryIterator;
import io.floe.sst.Predicate;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * Every entry with {@code seq <= snapshotSeq} of one sorted run (files with disjoint key ranges, in
 * key order), as an {@link EntrySource}: one SST iterator at a time, opened when the run enters its
 * file and closed when it leaves it.
 *
 * <p>Memory: the current file's iterator buffers (from the table allocator), freed when it moves on
 * and by {@link #close()}. Requires: a version naming the run stays pinned while this is open.
 * Threads: single owner.
 */
public final class RunSource implements EntrySource {
    private final SstFiles files;
    private final List<FileMeta> run;
    private final long snapshotSeq;
    /** A predicate on key columns only, or null: files whose statistics rule it out are skipped. */
    private final Predicate keyPredicate;
    /** The schema columns read from the files ({@link EntryIterator#projecting}), or null for all. */
    private final boolean[] columns;
    private EntryIterator it;
    private int fileIndex = -1;
    private RowReader row;

    public RunSource(SstFiles files, SortedRun run, long snapshotSeq) {
        this(files, run, snapshotSeq, null);
    }

    /**
     * Requires: {@code keyPredicate} is null or names only primary key columns (every version of a
     * key has the same key columns, so skipping a file that cannot hold a matching key cannot change
     * the fold of a matching key).
     */
    public RunSource(SstFiles files, SortedRun run, long snapshotSeq, Predicate keyPredicate) {
        this(files, run, snapshotSeq, keyPredicate, null);
    }

    /**
     * As {@link #RunSource(SstFiles, SortedRun, long, Predicate)}, reading from the files only the
     * schema columns {@code c} with {@code columns[c]} (or all, if null): the rows' other columns are
     * null, whatever their nullability. Requires: {@code columns} is null or has one flag per column
     * of the files' schema.
     */
    public RunSource(SstFiles files, SortedRun run, long snapshotSeq, Predicate keyPredicate, boolean[] columns) {
        this.columns = columns;
        this.files = files;
        this.run = run.files();
        this.snapshotSeq = snapshotSeq;
        this.keyPredicate = keyPredicate;
    }

    @Override
    public void seekToFirst() {
        open(0);
        if (it != null) {
            it.seekToFirst();
        }
        settle();
    }

    @Override
    public void seek(DirectBuffer key, int offset, int length) {
        int i = 0;
        while (i < run.size() && ByteComparisons.compare(key, offset, length, run.get(i).largestKey()) > 0) {
            i++;
        }
        open(i);
        if (it != null) {
            it.seek(key, offset, length);
        }
        settle();
    }

    private void open(int index) {
        if (index == fileIndex && it != null) {
            return;
        }
        if (it != null) {
            it.close();
            it = null;
        }
        while (keyPredicate != null && index < run.size() && !files.reader(run.get(index)).mightMatch(keyPredicate)) {
            index++;
        }
        fileIndex = index;
        if (index < run.size()) {
            it = columns == null ? files.reader(run.get(index)).newIterator() : EntryIterator.projecting(files.reader(run.get(index)), columns);
        }
    }

    /** Moves past invisible entries and exhausted files. */
    private void settle() {
        row = null;
        while (it != null) {
            while (it.valid() && it.seq() > snapshotSeq) {
                it.next();
            }
            if (it.valid()) {
                return;
            }
            open(fileIndex + 1);
            if (it != null) {
                it.seekToFirst();
            }
        }
    }

    @Override
    public boolean valid() {
        return it != null && it.valid();
    }

    @Override
    public void next() {
        it.next();
        settle();
    }

    @Override
    public boolean nextMayShareKey() {
        // Skipping entries above the snapshot only removes entries, so a next raw entry of another
        // key means the next visible one has another key too.
        return it.nextMayShareKey();
    }

    /** Returns the iterator of the current file, positioned at this source's entry. Requires: {@link #valid()}. */
    public EntryIterator entries() {
        return it;
    }

    @Override
    public DirectBuffer keyBuffer() {
        return it.keyBuffer();
    }

    @Override
    public int keyOffset() {
        return it.keyOffset();
    }

    @Override
    public int keyLength() {
        return it.keyLength();
    }

    @Override
    public long seq() {
        return it.seq();
    }

    @Override
    public RowKind kind() {
        return it.kind();
    }

    private RowReader row() {
        if (row == null) {
            row = it.row();
        }
        return row;
    }

    @Override
    public DirectBuffer rowBuffer() {
        return row().buffer();
    }

    @Override
    public int rowOffset() {
        return row().offset();
    }

    @Override
    public int rowLength() {
        return row().length();
    }

    @Override
    public void close() {
        if (it != null) {
            it.close();
            it = null;
        }
    }
}
