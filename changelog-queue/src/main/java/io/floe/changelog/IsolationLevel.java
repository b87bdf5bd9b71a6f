package io.floe.changelog;

/** Which records a {@link ChangelogTailer} may return. */
public enum IsolationLevel {
    /** Every appended record, as soon as its append returns (in any process on the host). */
    READ_UNCOMMITTED,
    /** Only records at or below the committed watermark that {@link ChangelogWriter#commit(long)} published. */
    READ_COMMITTED
}
