package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;

/**
 * Universal (size-tiered) compaction of a bucket, as RocksDB's universal style. The picker is
 * {@code io.floe.kernel.compaction.UniversalPicker}; these are its knobs.
 *
 * @param sortedRunTrigger            compaction starts once a bucket has at least this many sorted
 *                                    runs (and only then). 2 to 64.
 * @param maxSizeAmplificationPercent when the runs above the bottom run together exceed this
 *                                    percentage of the bottom run, every run is merged into a new
 *                                    bottom run. 0 to 10,000.
 * @param sizeRatioPercent            a run joins the runs newer than it when it is at most this much
 *                                    percent larger than their sum. 0 to 1,000.
 * @param minMergeWidth               the fewest runs a size-ratio compaction merges. 2 to 64.
 * @param maxMergeWidth               the most runs one compaction merges. minMergeWidth to 1,024.
 */
public record CompactionOptions(int sortedRunTrigger, int maxSizeAmplificationPercent, int sizeRatioPercent, int minMergeWidth,
                                int maxMergeWidth) {

    /** Throws {@link InvalidOptionException} if a value is out of range. */
    public CompactionOptions {
        InvalidOptionException.check(sortedRunTrigger >= 2 && sortedRunTrigger <= 64, "compaction.sorted-run-trigger", sortedRunTrigger,
                "an integer from 2 to 64");
        InvalidOptionException.check(maxSizeAmplificationPercent >= 0 && maxSizeAmplificationPercent <= 10_000,
                "compaction.max-size-amplification-percent", maxSizeAmplificationPercent, "an integer from 0 to 10000");
        InvalidOptionException.check(sizeRatioPercent >= 0 && sizeRatioPercent <= 1_000, "compaction.size-ratio-percent", sizeRatioPercent,
                "an integer from 0 to 1000");
        InvalidOptionException.check(minMergeWidth >= 2 && minMergeWidth <= 64, "compaction.min-merge-width", minMergeWidth,
                "an integer from 2 to 64");
        InvalidOptionException.check(maxMergeWidth >= minMergeWidth && maxMergeWidth <= 1_024, "compaction.max-merge-width", maxMergeWidth,
                "an integer from compaction.min-merge-width (" + minMergeWidth + ") to 1024");
    }

    /** Returns RocksDB's universal defaults: trigger 5 runs, 200% size amplification, 1% size ratio, widths 2..1024. */
    public static CompactionOptions defaults() {
        return new CompactionOptions(5, 200, 1, 2, 1_024);
    }
}
