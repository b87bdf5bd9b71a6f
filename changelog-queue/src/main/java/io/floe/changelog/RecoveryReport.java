package io.floe.changelog;

/**
 * What {@link ChangelogWriter#open} found and did.
 *
 * @param lastSeq          the last valid seq after recovery, or -1
 * @param committedSeq     the committed watermark after recovery, or -1
 * @param checkpointId     the last committed checkpoint id, or -1
 * @param releasedSeq      the highest seq in a released file, or -1
 * @param scannedExcerpts  excerpts read by the recovery scan (from the last committed record on)
 * @param voidedTorn       uncommitted excerpts cut off: the first damaged one and all after it
 * @param skippedCorrupt   damaged committed records skipped (SALVAGE only)
 * @param watermarkClamped the watermark pointed past the surviving log and was lowered to {@code lastSeq}
 * @param watermarkSalvaged both watermark slots were damaged and recovery started from nothing (SALVAGE only)
 * @param durationNanos    how long recovery took
 * @param highestSeq       the highest seq in any record, valid or voided (appends continue above it), or -1
 * @param abortedUncommitted valid records above the committed seq voided by {@link UncommittedPolicy#ABORT}
 */
public record RecoveryReport(long lastSeq, long committedSeq, long checkpointId, long releasedSeq, long scannedExcerpts,
                             long voidedTorn, long skippedCorrupt, boolean watermarkClamped, boolean watermarkSalvaged,
                             long durationNanos, long highestSeq, long abortedUncommitted) {
}
