package io.floe.changelog;

/** What opening and tailing do when a record that should be whole fails its checksum. */
public enum RecoveryMode {
    /** A damaged record in the committed part of the log throws {@link io.floe.common.error.CorruptionException}. */
    STRICT,
    /**
     * A damaged record is skipped and counted ({@link RecoveryReport#skippedCorrupt()},
     * {@link ChangelogTailer#skippedCorrupt()}); the records around it are returned. For salvaging
     * what is left of a damaged log, never for normal operation.
     */
    SALVAGE
}
