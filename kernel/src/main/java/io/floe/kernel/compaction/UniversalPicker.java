package io.floe.kernel.compaction;

import io.floe.kernel.options.CompactionOptions;
import java.util.List;
import java.util.Optional;

/**
 * Universal (size-tiered) compaction, as RocksDB's universal style: a pure function of the
 * options and a bucket's runs, {@code pick(shape) → Optional<plan>}.
 *
 * <p>Nothing is picked while a bucket has fewer than {@code sortedRunTrigger} runs. Otherwise, in
 * this order:
 * <ol>
 *   <li><b>Size amplification</b>: if the runs above the bottom run together are at least
 *       {@code maxSizeAmplificationPercent}% of the bottom run, every run is merged into a new
 *       bottom run.</li>
 *   <li><b>Size ratio</b>: from each run, newest first, grow a window towards older runs while the
 *       next run is at most {@code sizeRatioPercent}% larger than the window so far (and the window
 *       is under {@code maxMergeWidth}); the first window of at least {@code minMergeWidth} runs is
 *       merged.</li>
 *   <li><b>Sorted-run count</b>: if the bucket has more than {@code sortedRunTrigger} runs, the
 *       newest {@code runs - trigger + 1} runs (at least {@code minMergeWidth}, at most
 *       {@code maxMergeWidth}) are merged, leaving {@code trigger - 1} runs where possible.</li>
 * </ol>
 *
 * <p>Threads: immutable; safe from any thread.
 */
public final class UniversalPicker {
    private final CompactionOptions options;

    public UniversalPicker(CompactionOptions options) {
        this.options = options;
    }

    /** Returns the compaction {@code shape} needs, or empty iff it needs none. */
    public Optional<CompactionPlan> pick(BucketShape shape) {
        List<BucketShape.Run> runs = shape.runs();
        int n = runs.size();
        if (n < 2 || n < options.sortedRunTrigger()) {
            return Optional.empty();
        }
        Optional<CompactionPlan> plan = sizeAmplification(runs);
        if (plan.isEmpty()) {
            plan = sizeRatio(runs);
        }
        if (plan.isEmpty()) {
            plan = sortedRunCount(runs);
        }
        return plan;
    }

    private Optional<CompactionPlan> sizeAmplification(List<BucketShape.Run> runs) {
        int n = runs.size();
        long above = 0;
        for (int i = 0; i < n - 1; i++) {
            above += runs.get(i).sizeBytes();
        }
        long bottom = runs.get(n - 1).sizeBytes();
        // above / bottom >= pct / 100, without division (sizes stay far below 2^63 / 10^4)
        if (above * 100 >= (long) options.maxSizeAmplificationPercent() * bottom && above > 0) {
            return Optional.of(new CompactionPlan(runs, true, CompactionPlan.Reason.SIZE_AMPLIFICATION));
        }
        return Optional.empty();
    }

    private Optional<CompactionPlan> sizeRatio(List<BucketShape.Run> runs) {
        int n = runs.size();
        for (int start = 0; start + options.minMergeWidth() <= n; start++) {
            long window = runs.get(start).sizeBytes();
            int end = start + 1;
            while (end < n && end - start < options.maxMergeWidth()) {
                long next = runs.get(end).sizeBytes();
                // next <= window * (100 + ratio) / 100
                if (next * 100 > window * (100 + options.sizeRatioPercent())) {
                    break;
                }
                window += next;
                end++;
            }
            if (end - start >= options.minMergeWidth()) {
                return Optional.of(new CompactionPlan(runs.subList(start, end), end == n, CompactionPlan.Reason.SIZE_RATIO));
            }
        }
        return Optional.empty();
    }

    private Optional<CompactionPlan> sortedRunCount(List<BucketShape.Run> runs) {
        int n = runs.size();
        if (n <= options.sortedRunTrigger()) {
            return Optional.empty();
        }
        int count = Math.max(n - options.sortedRunTrigger() + 1, options.minMergeWidth());
        count = Math.min(count, Math.min(options.maxMergeWidth(), n));
        return Optional.of(new CompactionPlan(runs.subList(0, count), count == n, CompactionPlan.Reason.SORTED_RUN_COUNT));
    }
}
