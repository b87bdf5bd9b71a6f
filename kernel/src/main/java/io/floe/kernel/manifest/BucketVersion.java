package io.floe.kernel.manifest;

import java.util.List;

/**
 * The live files and watermarks of one bucket in one {@link Version}. Immutable.
 *
 * @param bucket              the bucket
 * @param runs                the sorted runs, newest first (by their largest sequence number)
 * @param flushedSeq          every entry at or below this sequence number is in an SST; recovery
 *                            replays the changelog above it
 * @param committedCheckpoint the last committed checkpoint id, or 0 if none
 */
public record BucketVersion(int bucket, List<SortedRun> runs, long flushedSeq, long committedCheckpoint) {
    public BucketVersion {
        runs = List.copyOf(runs);
    }

    /** Returns the bucket with nothing in it. */
    static BucketVersion empty(int bucket) {
        return new BucketVersion(bucket, List.of(), 0, 0);
    }

    /** Returns the total size of the bucket's files. */
    public long sizeBytes() {
        long size = 0;
        for (SortedRun r : runs) {
            size += r.sizeBytes();
        }
        return size;
    }
}
