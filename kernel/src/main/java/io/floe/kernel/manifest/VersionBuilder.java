package io.floe.kernel.manifest;

import io.floe.common.bytes.ByteComparisons;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies version edits to a base {@link Version} and builds the next one. Buckets no edit touched
 * are shared with the base.
 *
 * <p>Threads: single owner.
 */
final class VersionBuilder {
    private final BucketVersion[] base;
    private final Map<Integer, Map<Long, FileMeta>> dirtyFiles = new HashMap<>();
    private final long[] flushed;
    private final long[] committed;
    private long nextFileNumber;

    VersionBuilder(Version base) {
        this.base = base.bucketArray();
        this.flushed = new long[this.base.length];
        this.committed = new long[this.base.length];
        for (int i = 0; i < this.base.length; i++) {
            flushed[i] = this.base[i].flushedSeq();
            committed[i] = this.base[i].committedCheckpoint();
        }
        this.nextFileNumber = base.nextFileNumber();
    }

    /** Returns the version of {@code buckets} empty buckets. */
    static Version empty(int buckets) {
        BucketVersion[] b = new BucketVersion[buckets];
        for (int i = 0; i < buckets; i++) {
            b[i] = BucketVersion.empty(i);
        }
        return new Version(b, 1);
    }

    /**
     * Applies {@code edit}: removals, then additions, then watermarks.
     * Returns null iff the edit applies; else what is wrong with it. A failed edit may be partly
     * applied: the caller discards the builder.
     */
    String apply(VersionEdit edit) {
        for (VersionEdit.RemovedFile r : edit.removed()) {
            if (r.bucket() >= base.length) {
                return "removes file " + r.fileNumber() + " of bucket " + r.bucket() + " but the table has " + base.length + " buckets";
            }
            if (files(r.bucket()).remove(r.fileNumber()) == null) {
                return "removes file " + r.fileNumber() + " which bucket " + r.bucket() + " does not have";
            }
        }
        for (FileMeta f : edit.added()) {
            if (f.bucket() >= base.length) {
                return "adds " + f + " but the table has " + base.length + " buckets";
            }
            if (files(f.bucket()).putIfAbsent(f.fileNumber(), f) != null) {
                return "adds file " + f.fileNumber() + " which bucket " + f.bucket() + " already has";
            }
            nextFileNumber = Math.max(nextFileNumber, f.fileNumber() + 1);
        }
        for (Map.Entry<Integer, Long> e : edit.flushedSeq().entrySet()) {
            if (e.getKey() >= base.length) {
                return "sets the flushed seq of bucket " + e.getKey() + " but the table has " + base.length + " buckets";
            }
            flushed[e.getKey()] = e.getValue();
        }
        for (Map.Entry<Integer, Long> e : edit.committedCheckpoint().entrySet()) {
            if (e.getKey() >= base.length) {
                return "sets the checkpoint of bucket " + e.getKey() + " but the table has " + base.length + " buckets";
            }
            committed[e.getKey()] = e.getValue();
        }
        if (edit.nextFileNumber() >= 0) {
            nextFileNumber = Math.max(nextFileNumber, edit.nextFileNumber());
        }
        return null;
    }

    private Map<Long, FileMeta> files(int bucket) {
        return dirtyFiles.computeIfAbsent(bucket, b -> {
            Map<Long, FileMeta> m = new TreeMap<>();
            for (SortedRun r : base[b].runs()) {
                for (FileMeta f : r.files()) {
                    m.put(f.fileNumber(), f);
                }
            }
            return m;
        });
    }

    /**
     * Returns the version with every applied edit.
     * Throws {@link IllegalStateException} if two files of one run have overlapping key ranges.
     */
    Version build() {
        BucketVersion[] out = base.clone();
        for (int b = 0; b < out.length; b++) {
            List<SortedRun> runs = dirtyFiles.containsKey(b) ? runs(dirtyFiles.get(b)) : base[b].runs();
            out[b] = new BucketVersion(b, runs, flushed[b], committed[b]);
        }
        return new Version(out, nextFileNumber);
    }

    private static List<SortedRun> runs(Map<Long, FileMeta> files) {
        Map<Long, List<FileMeta>> byRun = new TreeMap<>();
        for (FileMeta f : files.values()) {
            byRun.computeIfAbsent(f.runId(), r -> new ArrayList<>()).add(f);
        }
        List<SortedRun> runs = new ArrayList<>();
        for (Map.Entry<Long, List<FileMeta>> e : byRun.entrySet()) {
            List<FileMeta> list = e.getValue();
            list.sort((a, b) -> ByteComparisons.compare(a.smallestKey(), b.smallestKey()));
            for (int i = 1; i < list.size(); i++) {
                if (ByteComparisons.compare(list.get(i - 1).largestKey(), list.get(i).smallestKey()) >= 0) {
                    throw new IllegalStateException("run " + e.getKey() + " has overlapping files " + list.get(i - 1) + " and " + list.get(i));
                }
            }
            runs.add(SortedRun.of(e.getKey(), list));
        }
        runs.sort(Comparator.comparingLong(SortedRun::maxSeq).thenComparingLong(SortedRun::runId).reversed());
        return runs;
    }
}
