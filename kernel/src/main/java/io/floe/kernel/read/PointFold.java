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
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * The point read of one key in one bucket at one snapshot, shared by {@link BucketView#get} and
 * {@code Lookup}: the visible entries of the key, newest first (memtables newest first, then sorted
 * runs newest first), folded into a {@link KeyFolder} until older entries cannot change the result.
 * An SST is asked through its key range and bloom filter before any page is read.
 *
 * <p>With a newest-wins engine each store gives at most one entry (memtable get, SST point lookup);
 * other engines read every visible version of the key (memtable and SST iterators, which allocate).
 *
 * <p>Threads: stateless; the arguments belong to the calling thread for the call.
 */
public final class PointFold {
    private PointFold() {
    }

    /**
     * Folds the entries with {@code seq <= seq} of {@code key[offset, offset+length)} into
     * {@code folder} (reset by this call). Memtables wholly at or below {@code flushedSeq} are
     * skipped (their entries are in {@code runs}). SST point lookups come from {@code lookups}, or
     * are made and closed per file if it is null. Returns {@code folder.hasRow()}.
     * Requires: {@code memtables} newest first and retained, {@code runs} newest first from a version
     * pinned for the call.
     */
    public static boolean fold(List<Memtable> memtables, long flushedSeq, List<SortedRun> runs, long seq, SstFiles files,
                               FileLookups lookups, DirectBuffer key, int offset, int length, KeyFolder folder, EntryView view) {
        folder.reset();
        boolean more = true;
        boolean newestWins = folder.engine().newestWins();
        for (int i = 0; i < memtables.size() && more; i++) {
            Memtable m = memtables.get(i);
            if (m.isEmpty() || m.maxSeq() <= flushedSeq) {
                continue;
            }
            if (newestWins) {
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
            if (newestWins) {
                more = newestOf(f, files, lookups, seq, key, offset, length, folder);
            } else {
                more = allOf(f, files, lookups, seq, key, offset, length, folder);
            }
        }
        return folder.hasRow();
    }

    private static boolean newestOf(FileMeta f, SstFiles files, FileLookups lookups, long seq, DirectBuffer key, int offset, int length,
                                    KeyFolder folder) {
        if (lookups != null) {
            PointLookup lookup = lookups.lookup(f);
            return !lookup.get(key, offset, length, seq) || add(folder, lookup.kind(), lookup.rowBuffer(), 0, lookup.rowLength());
        }
        try (PointLookup lookup = files.reader(f).newLookup()) {
            return !lookup.get(key, offset, length, seq) || add(folder, lookup.kind(), lookup.rowBuffer(), 0, lookup.rowLength());
        }
    }

    private static boolean allOf(FileMeta f, SstFiles files, FileLookups lookups, long seq, DirectBuffer key, int offset, int length,
                                 KeyFolder folder) {
        boolean more = true;
        SstReader reader = files.reader(f);
        if (lookups != null) {
            if (!lookups.lookup(f).get(key, offset, length, seq)) {
                return true;
            }
        } else {
            try (PointLookup lookup = reader.newLookup()) {
                if (!lookup.get(key, offset, length, seq)) {
                    return true;
                }
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
        return more;
    }

    private static boolean add(KeyFolder folder, RowKind kind, DirectBuffer row, int offset, int length) {
        return kind == RowKind.DELETE ? folder.addDelete() : folder.addUpsert(row, offset, length);
    }

    private static boolean sameKey(DirectBuffer a, int ao, int al, DirectBuffer b, int bo, int bl) {
        return ByteComparisons.compare(a, ao, al, b, bo, bl) == 0;
    }

    /** Returns the file of {@code run} whose key range holds the key, or null. */
    static FileMeta fileFor(SortedRun run, DirectBuffer key, int offset, int length) {
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
}
