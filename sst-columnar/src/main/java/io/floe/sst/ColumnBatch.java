package io.floe.sst;

/**
 * The rows of one page position that a scan kept, as column vectors in the order of
 * {@link ScanSpec#columns()}. The vectors hold every row of the page; {@link #selected} lists the
 * page rows that passed the key range and the predicate (all rows iff {@link #allSelected()}).
 *
 * <p>Memory: the vectors belong to the scan and are valid until its next {@link SstScan#next()} or
 * close, unless exported to Arrow ({@link ArrowExport}), which hands their memory to Arrow.
 * Threads: single owner (the scan's).
 */
public final class ColumnBatch {
    final FileColumn[] columns;
    final ValueVector[] vectors;
    final int[] physical;
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

    /** Returns iff every row of the page was kept (then kept row {@code i} is page row {@code i}). */
    public boolean allSelected() {
        return count == rows;
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
}
