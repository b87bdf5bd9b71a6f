package io.floe.kernel;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.kernel.read.RunBatches;
import io.floe.sst.ArrowExport;
import io.floe.sst.ColumnBatch;

/**
 * The rows of one bucket that a {@link Snapshot} sees, as {@link ColumnBatch}es: the same rows, in
 * the same key order, as {@link Snapshot#scan} with the same options, with only the user's columns
 * (the options' columns in their order, or the schema's), never {@code _key}, {@code _seq} or
 * {@code _kind}:
 *
 * <pre>
 * try (BatchScan scan = snapshot.scanBatches(bucket, ScanOptions.all().withColumns(List.of("id", "v")))) {
 *     while (scan.next()) {
 *         ColumnBatch b = scan.batch();          // rows b.selected(0 .. b.size()-1) of b.vector(c)
 *         try (VectorSchemaRoot root = ArrowExport.export(b, arrowAllocator)) { ... }
 *     }
 * }
 * </pre>
 *
 * <p>Two ways, chosen when the scan is made ({@link #zeroCopy()} says which), same rows either way:
 * <ul>
 *   <li>zero-copy: when the range needs no merge (one sorted run, one visible upsert per key, no
 *       memtable entry; {@code SingleVersionRun} lists the exact conditions), the batches are the
 *       SST files' decoded pages with the predicate and key range pushed into the file scan, and
 *       {@link ArrowExport} hands whole-page columns to Arrow without a copy;</li>
 *   <li>merged: otherwise, the rows of {@link Snapshot#scan} (the merge of memtables and runs,
 *       MVCC-visible, folded by the merge engine) are written into batches of up to a fixed number
 *       of rows, which Arrow export copies.</li>
 * </ul>
 * The merged way is a fallback rather than a refusal because a caller of a storage kernel wants
 * one read path that is always right: refusing would make every caller write the row-to-batch
 * conversion this class already does, and the fast path is an optimisation the caller can see
 * ({@link #zeroCopy()}) but need not code for.
 *
 * <p>Memory: off-heap, from the table's allocator. In the zero-copy way the current file's scan
 * owns the page vectors; in the merged way the scan owns the row cursors and one set of batch
 * vectors, reused for every batch. Either way {@link #batch()} is valid until the next
 * {@link #next()} or {@link #close()}; columns exported to Arrow before then live on, owned (and
 * freed) by Arrow's buffers. {@link #close()} frees the rest. Requires: the snapshot stays open
 * while the scan is. Threads: single owner.
 */
public final class BatchScan implements AutoCloseable {
    /** The most rows a batch of the merged way holds. */
    static final int DEFAULT_BATCH_ROWS = 4096;

    private final Schema schema;
    /** The files' batches (zero-copy way), or null. */
    private final RunBatches direct;
    /** The merged rows (merged way), or null. */
    private final RowScan rows;
    private final ColumnBatch.Builder builder;
    private final int batchRows;
    private ColumnBatch current;
    private boolean done;

    private BatchScan(Schema schema, RunBatches direct, RowScan rows, ColumnBatch.Builder builder, int batchRows) {
        this.schema = schema;
        this.direct = direct;
        this.rows = rows;
        this.builder = builder;
        this.batchRows = batchRows;
    }

    /** Returns a scan of {@code batches} (their columns being {@code schema}'s); it owns them. */
    static BatchScan direct(RunBatches batches, Schema schema) {
        return new BatchScan(schema, batches, null, null, 0);
    }

    /** Returns a scan of {@code rows} in batches of up to {@code batchRows} rows; it owns them. */
    static BatchScan merged(RowScan rows, OffHeapAllocator allocator, int batchRows) {
        try {
            return new BatchScan(rows.schema(), null, rows, new ColumnBatch.Builder(rows.schema(), allocator), batchRows);
        } catch (RuntimeException e) {
            rows.close();
            throw e;
        }
    }

    /** Returns the schema of the batches' columns (as {@link RowScan#schema()}). */
    public Schema schema() {
        return schema;
    }

    /** Returns iff the batches come straight from the SST files' pages (no merge, no copy). */
    public boolean zeroCopy() {
        return direct != null;
    }

    /** Moves to the next batch, which holds at least one row. Returns iff there is one. */
    public boolean next() {
        current = null;
        if (done) {
            return false;
        }
        if (direct != null) {
            if (direct.next()) {
                current = direct.batch();
                return true;
            }
            done = true;
            return false;
        }
        builder.reset();
        while (builder.size() < batchRows && rows.next()) {
            builder.add(rows.row());
        }
        if (builder.size() == 0) {
            done = true;
            return false;
        }
        current = builder.batch();
        return true;
    }

    /**
     * Returns the current batch: {@link ColumnBatch#size()} rows, row {@code i} at
     * {@link ColumnBatch#selected(int) selected(i)} of each vector. Requires: the last
     * {@link #next()} returned true. Valid until the next {@link #next()} or {@link #close()}.
     */
    public ColumnBatch batch() {
        if (current == null) {
            throw new IllegalStateException("no current batch: next() did not return true");
        }
        return current;
    }

    @Override
    public void close() {
        current = null;
        done = true;
        if (direct != null) {
            direct.close();
        } else {
            try {
                rows.close();
            } finally {
                builder.close();
            }
        }
    }
}
