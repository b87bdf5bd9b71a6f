package io.floe.changelog;

/**
 * What {@link ChangelogWriter#open} does with records above the committed watermark, those a
 * writer appended (and maybe prepared) but never committed before it stopped or crashed.
 */
public enum UncommittedPolicy {
    /**
     * Keep them: they stay readable by read-uncommitted tailers, and a later commit publishes them
     * with whatever is appended after them. The default, and what an at-least-once user wants.
     */
    KEEP,
    /**
     * Abort them: recovery rewrites every record with seq &gt; committed seq as a VOID record that
     * keeps its seq (see {@link ChangelogRecordLayout}), so no tailer of any process returns it
     * after the open, and no later commit publishes it. Appends continue above the highest seq
     * ever written, so a seq is never reused. With {@link SyncMode#FSYNC_ON_COMMIT} the voided
     * files are fsynced before open returns. What an exactly-once sink wants: its source replays
     * everything after the last committed checkpoint.
     */
    ABORT
}
