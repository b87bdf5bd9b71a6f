package io.floe.changelog;

/**
 * What {@link ChangelogWriter#releaseBelow(long)} did.
 *
 * @param filesReleased    queue files deleted
 * @param releasedSeq      the highest seq held in any released file so far, or -1
 * @param keptForTailer    iff a file that was otherwise releasable was kept because a live tailer
 *                         of this process still reads it or an earlier file
 */
public record ReleaseReport(int filesReleased, long releasedSeq, boolean keptForTailer) {
}
