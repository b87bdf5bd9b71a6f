package io.floe.sst;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.schema.Schema;

/**
 * The rows of one page position that a scan kept, as column vectors in the order of
 * {@link ScanSpec#columns()}. The vectors hold every row of the page; {@link #selected} lists the
 * page rows that passed the key range and the predicate (all rows iff {@link #allSelected()}).
 * A batch can also be filled from binary rows ({@link Builder}): then it holds exactly its rows.
 *
 * <p>Memory: the vectors belong to the scan and are valid until its next {@link SstScan#next()} or
 * close, unless exported to Arrow ({@link ArrowExport}), which hands their memory to Arrow. A
 * built batch's vectors belong to its {@link Builder}; Arrow export copies them.
 * Threads: single owner (the scan's or the builder's).
 */
public final class ColumnBatch {
    final FileColumn[] columns;
    final ValueVector[] vectors;
    final int[] physical;
    /** The scan's cursor, or null for a batch built from rows ({@link Builder}). */
    final PageCursor cursor;
    int rows;
    int[] selection;
    int count;

    ColumnBatch(FileColumn[] columns, int[] physical, PageCursor cursor) {
        this.columns = columns;
        this.cursor = cursor;
        this.physical = physical;
        this.vectors = new ValueVector[physical.length];
    }

    /** Returns the number of rows kept. */
    public int size() {
        return count;
    }

    /** Returns the page row number of kept row {@code i}. */
    public int selected(int i) {
        return selection[i];
    }

    /**
     * Returns iff every row of a scanned page was kept (then kept row {@code i} is page row
     * {@code i}) and the vectors may be handed to Arrow without a copy. False for a built batch
     * ({@link Builder}), whose vectors its builder reuses; its kept row {@code i} is row {@code i}.
     */
    public boolean allSelected() {
        return cursor != null && count == rows;
    }

    /** Returns the rows of the page the vectors hold. */
    public int pageRows() {
        return rows;
    }

    public int columnCount() {
        return physical.length;
    }

    /** Returns the column at batch position {@code i}. */
    public FileColumn column(int i) {
        return columns[physical[i]];
    }

    /** Returns the vector at batch position {@code i} (indexed by page row). */
    public ValueVector vector(int i) {
        return vectors[i];
    }

    /**
     * Fills batches from binary rows of a schema (the rows of a merge, say), column by column in
     * the layout a scan decodes to ({@link ValueVector}): a fixed column's 8-byte slot, a variable
     * column's bytes. The batch's columns are the schema's, in its order.
     *
     * <pre>
     * try (ColumnBatch.Builder b = new ColumnBatch.Builder(schema, allocator)) {
     *     b.reset(); b.add(row); ...; ColumnBatch batch = b.batch();
     * }
     * </pre>
     *
     * <p>Memory: one vector per column from {@code allocator} ({@link MemoryPurpose#ROW}), reused
     * across {@link #reset()}s and freed by {@link #close()}; {@link #batch()} is valid until the next
     * {@link #reset()}, {@link #add} or {@link #close()}. Threads: single owner.
     */
    public static final class Builder implements AutoCloseable {
        private final ValueVector[] vectors;
        private final ColumnBatch batch;
        private int[] identity = new int[0];
        private int size;

        /** Returns a builder of batches of {@code schema}'s columns, allocating from {@code allocator}. */
        public Builder(Schema schema, OffHeapAllocator allocator) {
            FileColumn[] columns = FileColumn.of(schema);
            int[] physical = new int[schema.columnCount()];
            this.vectors = new ValueVector[physical.length];
            try {
                for (int i = 0; i < physical.length; i++) {
                    physical[i] = SstLayout.FIRST_VALUE_COLUMN + i;
                    vectors[i] = new ValueVector(columns[physical[i]].variable(), allocator, MemoryPurpose.ROW);
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            this.batch = new ColumnBatch(columns, physical, null);
        }

        /** Empties the batch, keeping the memory. */
        public void reset() {
            for (ValueVector v : vectors) {
                v.reset();
            }
            size = 0;
        }

        /** Appends {@code row}. Requires: {@code row} is a well-formed row of the builder's schema (its columns' types). */
        public void add(RowReader row) {
            for (int i = 0; i < vectors.length; i++) {
                ValueVector v = vectors[i];
                if (row.isNullAt(i)) {
                    v.appendNull();
                } else if (v.isVariable()) {
                    v.appendBytes(row.buffer(), row.varOffset(i), row.varLength(i));
                } else {
                    v.appendLong(row.getLong(i));
                }
            }
            size++;
        }

        /** Returns the rows added since the last {@link #reset()}. */
        public int size() {
            return size;
        }

        /** Returns the rows added since the last {@link #reset()} as a batch (valid until the next reset, add or close). */
        public ColumnBatch batch() {
            if (identity.length < size) {
                identity = new int[Math.max(size, identity.length * 2)];
                for (int i = 0; i < identity.length; i++) {
                    identity[i] = i;
                }
            }
            System.arraycopy(vectors, 0, batch.vectors, 0, vectors.length);
            batch.rows = size;
            batch.count = size;
            batch.selection = identity;
            return batch;
        }

        @Override
        public void close() {
            for (ValueVector v : vectors) {
                if (v != null) {
                    v.close();
                }
            }
        }
    }
}
