package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.error.SchemaMismatchException;

/**
 * A column-batch scan of one SST with projection, a key range and predicates. Row groups and then
 * pages whose statistics cannot match are skipped without being read ({@link ScanStats}); of the
 * rest, the key (if the page straddles the range's ends) and the predicate's columns are decoded
 * first, and the other projected columns only if some row survives.
 *
 * <pre>
 * try (SstScan scan = reader.scan(ScanSpec.of("id", "name").where(Predicate.gt("id", 10L)))) {
 *     while (scan.next()) { ColumnBatch b = scan.batch(); ... }
 * }
 * </pre>
 *
 * <p>Memory: decoded vectors from the reader's allocator, freed by {@link #close()}.
 * Threads: single owner; take one per thread from the shared {@link SstReader}.
 */
public final class SstScan implements AutoCloseable {
    private final SstReader reader;
    private final ScanStats stats = new ScanStats();
    private final PageCursor cursor;
    private final BoundPredicate predicate;
    private final int[] predicateColumns;
    private final byte[] fromKey;
    private final byte[] toKey;
    private final ColumnBatch batch;
    private final ColumnStats[] pageStats;
    private final ValueVector[] decoded;
    private int[] selection = new int[0];
    private int group;
    private int page;
    private int checkedGroup = -1;
    private boolean done;

    SstScan(SstReader reader, ScanSpec spec) {
        this.reader = reader;
        this.cursor = new PageCursor(reader, stats);
        this.predicate = BoundPredicate.bind(spec.predicate(), reader);
        this.predicateColumns = predicate.columns();
        this.fromKey = spec.fromKey();
        this.toKey = spec.toKey();
        int[] physical = new int[spec.columns().size()];
        for (int i = 0; i < physical.length; i++) {
            physical[i] = indexOf(reader.columns, spec.columns().get(i));
            for (int j = 0; j < i; j++) {
                if (physical[j] == physical[i]) {
                    throw new SchemaMismatchException("scan names column '" + spec.columns().get(i) + "' twice");
                }
            }
        }
        this.batch = new ColumnBatch(reader.columns, physical, cursor);
        this.pageStats = new ColumnStats[reader.columns.length];
        this.decoded = new ValueVector[reader.columns.length];
        if (fromKey != null) {
            org.agrona.concurrent.UnsafeBuffer k = new org.agrona.concurrent.UnsafeBuffer(fromKey);
            group = reader.findRowGroup(k, 0, fromKey.length);
            page = group < reader.rowGroupCount() ? reader.findPage(group, k, 0, fromKey.length) : 0;
            done = group >= reader.rowGroupCount();
        }
    }

    private static int indexOf(FileColumn[] columns, String name) {
        for (int c = 0; c < columns.length; c++) {
            if (columns[c].name().equals(name)) {
                return c;
            }
        }
        throw new SchemaMismatchException("scan names no column of the file: '" + name + "'");
    }

    /** Moves to the next batch with at least one kept row; returns false at the end. */
    public boolean next() {
        while (!done) {
            int g = group;
            int p = page;
            RowGroupIndex index = reader.indexes[g];
            if (page + 1 < index.pageCount()) {
                page++;
            } else if (group + 1 < reader.rowGroupCount()) {
                group++;
                page = 0;
            } else {
                done = true;
            }
            if (checkedGroup != g) {
                checkedGroup = g;
                if (!predicate.isEmpty() && !groupMightMatch(index)) {
                    stats.rowGroupsSkipped++;
                    stats.pagesSkipped += index.pageCount() - p;
                    if (g + 1 < reader.rowGroupCount()) {
                        group = g + 1;
                        page = 0;
                        done = false;
                    } else {
                        done = true;
                    }
                    continue;
                }
            }
            if (load(g, p)) {
                return true;
            }
        }
        return false;
    }

    private boolean groupMightMatch(RowGroupIndex index) {
        for (int c = 0; c < pageStats.length; c++) {
            pageStats[c] = index.chunks[c].stats();
        }
        return predicate.mightMatch(pageStats);
    }

    /** Reads page {@code p} of group {@code g}; returns iff some row is kept. */
    private boolean load(int g, int p) {
        RowGroupIndex index = reader.indexes[g];
        ChunkIndex keyIndex = index.keys();
        if (toKey != null && keyIndex.compareMin(p, toKey) >= 0) {
            done = true;
            return false;
        }
        boolean cutLow = fromKey != null && keyIndex.compareMin(p, fromKey) < 0;
        boolean cutHigh = toKey != null && keyIndex.compareMax(p, toKey) >= 0;
        if (fromKey != null && keyIndex.compareMax(p, fromKey) < 0) {
            stats.pagesSkipped++;
            return false;
        }
        if (!predicate.isEmpty()) {
            for (int c = 0; c < pageStats.length; c++) {
                pageStats[c] = index.chunks[c].stats(p);
            }
            if (!predicate.mightMatch(pageStats)) {
                stats.pagesSkipped++;
                return false;
            }
        }
        cursor.moveTo(g, p);
        int rows = index.pageRows[p];
        if (selection.length < rows) {
            selection = new int[rows];
        }
        for (int i = 0; i < rows; i++) {
            selection[i] = i;
        }
        int count = rows;
        if (cutLow || cutHigh) {
            ValueVector keys = cursor.column(SstLayout.KEY_COLUMN);
            int kept = 0;
            for (int k = 0; k < count; k++) {
                int i = selection[k];
                boolean in = (!cutLow || ByteComparisons.compare(keys.data(), keys.offset(i), keys.length(i), fromKey) >= 0)
                        && (!cutHigh || ByteComparisons.compare(keys.data(), keys.offset(i), keys.length(i), toKey) < 0);
                if (in) {
                    selection[kept++] = i;
                }
            }
            count = kept;
        }
        if (count > 0 && !predicate.isEmpty()) {
            for (int c : predicateColumns) {
                decoded[c] = cursor.column(c);
            }
            count = predicate.filter(decoded, selection, count);
        }
        if (count == 0) {
            return false;
        }
        for (int i = 0; i < batch.physical.length; i++) {
            batch.vectors[i] = cursor.column(batch.physical[i]);
        }
        batch.rows = rows;
        batch.selection = selection;
        batch.count = count;
        return true;
    }

    /** Returns the current batch. Requires: the last {@link #next()} returned true. */
    public ColumnBatch batch() {
        return batch;
    }

    /** Returns this scan's counters (pages read and skipped). */
    public ScanStats stats() {
        return stats;
    }

    @Override
    public void close() {
        cursor.close();
    }
}
