package io.floe.kernel.compaction;

import java.util.List;

/**
 * What the compaction picker sees of a bucket: its sorted runs, newest first. Immutable.
 *
 * @param runs the runs, newest first (the last is the bottom run)
 */
public record BucketShape(List<Run> runs) {
    /** One sorted run: its id and total size. */
    public record Run(long runId, long sizeBytes) {
        public Run {
            if (sizeBytes < 0) {
                throw new IllegalArgumentException("run " + runId + " has negative size " + sizeBytes);
            }
        }
    }

    public BucketShape {
        runs = List.copyOf(runs);
    }
}
