package io.floe.kernel.manifest;

import java.util.List;

/**
 * One sorted run of a bucket: files with disjoint key ranges, ordered by key, whose entries
 * together hold every key at most once per sequence number. Immutable.
 *
 * @param runId     the run's id (the {@link FileMeta#runId()} of its files)
 * @param files     the files in key order (never empty)
 * @param minSeq    the smallest sequence number in the run
 * @param maxSeq    the largest sequence number in the run
 * @param sizeBytes the total size of the files
 * @param rowCount  the total entries of the files
 */
public record SortedRun(long runId, List<FileMeta> files, long minSeq, long maxSeq, long sizeBytes, long rowCount) {
    public SortedRun {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("run " + runId + " has no files");
        }
    }

    /** Returns the run of {@code files} (already in key order, all of run {@code runId}). */
    static SortedRun of(long runId, List<FileMeta> files) {
        long minSeq = Long.MAX_VALUE;
        long maxSeq = 0;
        long size = 0;
        long rows = 0;
        for (FileMeta f : files) {
            minSeq = Math.min(minSeq, f.minSeq());
            maxSeq = Math.max(maxSeq, f.maxSeq());
            size += f.sizeBytes();
            rows += f.rowCount();
        }
        return new SortedRun(runId, files, minSeq, maxSeq, size, rows);
    }
}
