package io.floe.kernel.options;

/**
 * What opening a table does with the writes of each bucket that were never committed (written,
 * maybe prepared, but no {@code commit} published them before the writer stopped or crashed).
 * Chosen when the store is opened ({@code Floe.open(dir, options, syncMode, policy)}) and applied
 * to every table it opens.
 */
public enum RecoveryPolicy {
    /**
     * Keep them: they are replayed into the memtable, readable by scans and read-uncommitted
     * tailers, and a later commit publishes them. May flush them to SSTs. The default
     * (at-least-once writers).
     */
    KEEP_UNCOMMITTED,
    /**
     * Abort them: on open every changelog record above the committed seq is voided (no tailer of
     * any process returns it afterwards, and it is never replayed), and while the table is open a
     * memtable is flushed only once its largest seq is committed, so no SST ever holds an
     * uncommitted write. New writes get seqs above the highest ever written. For exactly-once
     * sinks, whose source re-sends everything after the last completed checkpoint.
     *
     * <p>Memory bound: uncommitted writes stay in memtables until committed; writes stall (the
     * {@code stalls} counter) only while committed memtables wait for their flush, never for a
     * commit, so between two commits a bucket holds up to everything written since the last commit
     * plus {@code memtable.max-immutable} memtables, within the store's memory limit (past it a
     * write fails with {@code MemoryLimitException}).
     */
    ABORT_UNCOMMITTED,
    /**
     * Keep them until the bucket's next writer decides: on open nothing is voided; the writes are
     * replayed into the memtable (visible to read-uncommitted readers only) and may still be
     * committed by a committer (e.g. Flink re-committing a completed checkpoint after a restart);
     * the bucket refuses writes until its writer calls {@code BucketWriter.restore(commitId, seq)}
     * (commit up to the restore point, abort above it) or {@code abortUncommitted()}. Otherwise as
     * {@link #ABORT_UNCOMMITTED}: no SST ever holds an uncommitted write. For exactly-once sinks whose
     * restore point is in their own checkpointed state (the Flink connector).
     */
    DEFER_TO_WRITER
}
