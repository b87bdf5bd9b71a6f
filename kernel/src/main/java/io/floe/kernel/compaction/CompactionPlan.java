package io.floe.kernel.compaction;

import java.util.List;

/**
 * A compaction the picker chose: adjacent sorted runs to merge into one. Immutable.
 *
 * @param inputs       the runs to merge, newest first; adjacent in the bucket's run order
 * @param outputBottom iff the inputs include the bottom run, so the output is the new bottom run
 *                     and may drop tombstones (nothing older can be shadowed)
 * @param reason       which trigger chose it
 */
public record CompactionPlan(List<BucketShape.Run> inputs, boolean outputBottom, Reason reason) {
    /** Why a plan was chosen, in the order the picker tries them. */
    public enum Reason {
        /** The runs above the bottom run are too large relative to it: merge everything. */
        SIZE_AMPLIFICATION,
        /** A window of runs of similar size: merge them. */
        SIZE_RATIO,
        /** Too many runs and no window of similar size: merge the newest ones. */
        SORTED_RUN_COUNT
    }

    public CompactionPlan {
        inputs = List.copyOf(inputs);
        if (inputs.size() < 2) {
            throw new IllegalArgumentException("a compaction merges at least 2 runs, got " + inputs);
        }
    }

    /** Returns the total size of the inputs. */
    public long inputBytes() {
        long size = 0;
        for (BucketShape.Run r : inputs) {
            size += r.sizeBytes();
        }
        return size;
    }
}
