package io.floe.kernel.read;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.SortedRun;
import io.floe.kernel.table.SstFiles;
import io.floe.sst.ColumnBatch;
import io.floe.sst.ColumnStats;
import io.floe.sst.ScanSpec;
import io.floe.sst.SstMetadata;
import io.floe.sst.SstOptions;
import io.floe.sst.SstReader;
import io.floe.sst.SstScan;
import io.floe.sst.ValueVector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decides whether a key range of a {@link BucketView} needs no merge: whether its merged rows are
 * exactly the stored entries of SST files, one entry per key, so that the files' column batches
 * are the scan's result as they are.
 *
 * <p>That holds, and is decided exactly (never guessed), iff within {@code [fromKey, toKey)}:
 * <ol>
 *   <li>no memtable of the view has a visible entry (memtables hold the newest writes);</li>
 *   <li>at most one sorted run has a file whose key range meets the range (the other runs hold
 *       no entry the range's rows depend on); only that run's files meeting the range are read;</li>
 *   <li>every such file's entries are all visible: its largest seq is at or below the view's seq;</li>
 *   <li>every such file stores only {@code +I} / {@code +U} entries, by its {@code _kind} column's
 *       file statistics (minimum = maximum = one of the two): no delete or retraction to fold;</li>
 *   <li>the files' keys in the range strictly increase, file after file: one entry per key. Between
 *       files, by their first and last keys (of a run: each file's last key is below the next one's
 *       first, and a key both share lies in the range, since both files meet it). Within a file, by
 *       what it records ({@link SstMetadata#keys()}, the SST writer's exact account of its key order
 *       check; a flush writes every version a memtable holds, a compaction keeps the versions live
 *       snapshots need): {@code UNIQUE} needs no check; {@code REPEATED} for a file whose keys all lie
 *       in the range means a key repeats there (no merge-free answer, decided without reading);
 *       {@code REPEATED} for a file only partly in the range, or {@code UNKNOWN} (a file of SST format
 *       version 1 or 2), is checked by reading the file's {@code _key} column in the range (the
 *       "key pass", which decodes that one column once more).</li>
 * </ol>
 * Then each key in the range has exactly one visible entry, an upsert, and the merge of a key's
 * only upsert is that row ({@link VisibleRows} returns it in place); a predicate tested on the
 * stored entry is tested on the merged row, so it may be pushed into the file scan.
 *
 * <p>Threads: stateless but for a counter of key passes for tests (atomic). Memory: the key scans'
 * buffers (from the readers' allocator) are freed before it returns.
 */
public final class SingleVersionRun {
    /** Files whose {@code _key} column a key pass has read, since the class loaded (for tests). */
    private static final AtomicLong KEY_PASSES = new AtomicLong();

    private SingleVersionRun() {
    }

    /**
     * Returns how many files a key pass (condition 5) has read since the class loaded, over all
     * threads: for tests that show which decisions read keys. Safe from any thread.
     */
    public static long keyPassFiles() {
        return KEY_PASSES.get();
    }

    /**
     * Returns the files (of one run, in key order) whose stored entries in {@code [fromKey, toKey)}
     * are exactly the merged rows of {@code view} there, or null if a merge may be needed. An empty
     * list means the range holds no row. {@code fromKey} / {@code toKey}: encoded keys, or null for
     * unbounded. Requires: {@code runs} are the view's runs (of the version pinned for it) and
     * {@code files} its table's readers. Throws {@code CorruptionException} if a file is damaged.
     */
    public static List<FileMeta> files(BucketView view, List<SortedRun> runs, SstFiles files, byte[] fromKey, byte[] toKey) {
        if (memtablesHaveEntries(view, fromKey, toKey)) {
            return null;
        }
        List<FileMeta> chosen = null;
        for (SortedRun run : runs) {
            List<FileMeta> inRange = new ArrayList<>();
            for (FileMeta f : run.files()) {
                if (overlaps(f, fromKey, toKey)) {
                    inRange.add(f);
                }
            }
            if (inRange.isEmpty()) {
                continue;
            }
            if (chosen != null) {
                return null; // two runs in the range: their entries must be merged
            }
            chosen = inRange;
        }
        if (chosen == null) {
            return List.of();
        }
        for (FileMeta f : chosen) {
            if (f.maxSeq() > view.seq() || !onlyUpserts(files.reader(f))) {
                return null;
            }
        }
        return keysStrictlyIncrease(chosen, files, fromKey, toKey) ? chosen : null;
    }

    /**
     * Returns iff the keys of {@code run}'s files (in key order, each meeting the range) in
     * {@code [fromKey, toKey)} strictly increase (no key twice): condition 5.
     */
    private static boolean keysStrictlyIncrease(List<FileMeta> run, SstFiles files, byte[] fromKey, byte[] toKey) {
        byte[] previousLast = null;
        for (FileMeta f : run) {
            SstMetadata meta = files.reader(f).metadata();
            // Both files meet the range, so the previous file's last key is >= fromKey and this
            // file's first key < toKey: if they are one key, it repeats in the range.
            if (previousLast != null && ByteComparisons.compare(previousLast, meta.minKey()) >= 0) {
                return false;
            }
            previousLast = meta.maxKey();
            switch (meta.keys()) {
                case UNIQUE -> { }
                case REPEATED -> {
                    if (within(meta, fromKey, toKey)) {
                        return false; // every key of the file is in the range, the repeated one too
                    }
                    if (!keysStrictlyIncreaseIn(files.reader(f), fromKey, toKey)) {
                        return false;
                    }
                }
                case UNKNOWN -> {
                    if (!keysStrictlyIncreaseIn(files.reader(f), fromKey, toKey)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Returns iff every key of the file lies in {@code [fromKey, toKey)}. */
    private static boolean within(SstMetadata meta, byte[] fromKey, byte[] toKey) {
        return (fromKey == null || ByteComparisons.compare(meta.minKey(), fromKey) >= 0)
                && (toKey == null || ByteComparisons.compare(meta.maxKey(), toKey) < 0);
    }

    /** Returns iff a memtable of {@code view} has an entry visible to it in {@code [fromKey, toKey)}. */
    private static boolean memtablesHaveEntries(BucketView view, byte[] fromKey, byte[] toKey) {
        List<EntrySource> sources = view.sources();
        try {
            for (EntrySource s : sources) {
                if (!(s instanceof MemtableSource)) {
                    continue; // a run's source: not opened, nothing read
                }
                if (fromKey == null) {
                    s.seekToFirst();
                } else {
                    s.seek(new UnsafeBuffer(fromKey), 0, fromKey.length);
                }
                if (s.valid() && (toKey == null || ByteComparisons.compare(s.keyBuffer(), s.keyOffset(), s.keyLength(), toKey) < 0)) {
                    return true;
                }
            }
            return false;
        } finally {
            for (EntrySource s : sources) {
                s.close();
            }
        }
    }

    private static boolean overlaps(FileMeta f, byte[] fromKey, byte[] toKey) {
        return (fromKey == null || ByteComparisons.compare(f.largestKey(), fromKey) >= 0)
                && (toKey == null || ByteComparisons.compare(f.smallestKey(), toKey) < 0);
    }

    /** Returns iff the file's {@code _kind} statistics prove every entry is {@code +I}, or every entry {@code +U}. */
    private static boolean onlyUpserts(SstReader reader) {
        ColumnStats kinds = reader.metadata().statsOf(SstOptions.KIND_NAME);
        if (kinds.nullCount() != 0 || kinds.min() == null || kinds.max() == null) {
            return false;
        }
        // A fixed column's statistics hold its slot with the sign bit flipped, big-endian.
        long min = kinds.minFixed() ^ Long.MIN_VALUE;
        long max = kinds.maxFixed() ^ Long.MIN_VALUE;
        return min == max && (min == RowKind.INSERT.value() || min == RowKind.UPDATE_AFTER.value());
    }

    /** Returns iff the keys of {@code reader}'s file in {@code [fromKey, toKey)} strictly increase: the key pass. */
    private static boolean keysStrictlyIncreaseIn(SstReader reader, byte[] fromKey, byte[] toKey) {
        KEY_PASSES.incrementAndGet();
        ScanSpec spec = ScanSpec.of(SstOptions.KEY_NAME).keyRange(fromKey, toKey);
        byte[] previous = null;
        try (SstScan scan = reader.scan(spec)) {
            while (scan.next()) {
                ColumnBatch batch = scan.batch();
                ValueVector keys = batch.vector(0);
                DirectBuffer data = keys.data();
                int last = -1;
                for (int i = 0; i < batch.size(); i++) {
                    int row = batch.selected(i);
                    if (last >= 0) {
                        if (ByteComparisons.compare(data, keys.offset(last), keys.length(last), data, keys.offset(row), keys.length(row)) >= 0) {
                            return false;
                        }
                    } else if (previous != null && ByteComparisons.compare(data, keys.offset(row), keys.length(row), previous) <= 0) {
                        return false;
                    }
                    last = row;
                }
                if (last >= 0) {
                    previous = new byte[keys.length(last)];
                    data.getBytes(keys.offset(last), previous);
                }
            }
        }
        return true;
    }
}
