package io.floe.kernel.merge;

import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;

/**
 * How the entries of one key combine: the one piece of policy the write path (the full changelog
 * producer), the read path and compaction share.
 *
 * <p>Entries of a key are upserts (a row) and deletes. A delete is a barrier for every engine: the
 * key's state is the fold of the upserts newer than its newest delete, and nothing older matters.
 * Between barriers, {@link #merge} folds adjacent rows; it is associative, so compaction may fold
 * any adjacent run of a key's entries (results differ only by FLOAT/DOUBLE rounding of SUM).
 *
 * <p>Threads: implementations are immutable and safe from any thread; the {@link RowWriter} passed
 * in belongs to the caller.
 */
public interface MergeEngine {
    /** Returns the schema of the rows this engine merges. */
    Schema schema();

    /**
     * Returns iff {@code merge(older, newer)} is always {@code newer} (deduplicate), so a reader may
     * stop at a key's newest entry.
     */
    boolean newestWins();

    /**
     * Returns iff written rows must pass through {@link #prepare} before they are stored
     * (aggregation with COUNT columns).
     */
    boolean needsPrepare();

    /**
     * Writes the stored form of the written row {@code input} to {@code out} (reset by this call
     * and completed). Requires: {@link #needsPrepare()}.
     */
    void prepare(RowReader input, RowWriter out);

    /**
     * Writes the combination of {@code older} and {@code newer} (two stored rows of the same key,
     * {@code newer} written later) to {@code out}, which this call resets and completes. Column by
     * column: column c of the result depends only on column c of the two rows (a projected scan
     * folds rows whose unread columns are null and relies on it: {@code read.ReadColumns}).
     *
     * <p>Throws {@code ValueOutOfRangeException} if an aggregate overflows its column type.
     */
    void merge(RowReader older, RowReader newer, RowWriter out);

    /**
     * Checks that a delete may be written.
     * Throws {@link UnsupportedChangeException} if this engine rejects deletes.
     */
    void checkDelete();
}
