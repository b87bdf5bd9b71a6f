package io.floe.kernel;

import io.floe.kernel.manifest.SortedRun;
import java.util.List;

/**
 * What one bucket of an open table holds at one moment ({@link Table#shape(int)}): its sequence
 * numbers and its sorted runs, newest first, each with its SST files. For tools ({@code floe
 * inspect}) and tests. Immutable (the key arrays inside {@link SortedRun}'s files are not to be modified).
 *
 * @param bucket       the bucket
 * @param lastSeq      the last seq written (visible to new read-uncommitted snapshots)
 * @param committedSeq the committed seq, or -1 if nothing was committed
 * @param flushedSeq   every entry at or below it is in an SST
 * @param runs         the sorted runs, newest first
 */
public record BucketShape(int bucket, long lastSeq, long committedSeq, long flushedSeq, List<SortedRun> runs) {
    public BucketShape {
        runs = List.copyOf(runs);
    }
}
