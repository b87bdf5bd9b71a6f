package io.floe.changelog;

import io.floe.common.error.FloeException;

/**
 * A tailer needs records that {@link ChangelogWriter#releaseBelow(long)} already deleted: it was
 * asked to start at or below the release point, or (in another process) it fell behind a release.
 * The caller restores from a snapshot instead.
 */
public class SeqReleasedException extends FloeException {
    private static final long serialVersionUID = 1L;

    private final long releasedSeq;

    public SeqReleasedException(String changelog, String what, long releasedSeq) {
        super("changelog " + changelog + ": " + what + "; records up to seq " + releasedSeq + " have been released");
        this.releasedSeq = releasedSeq;
    }

    /** Returns the highest released seq. */
    public long releasedSeq() {
        return releasedSeq;
    }
}
