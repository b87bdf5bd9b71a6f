package io.floe.kernel;

import io.floe.common.row.RowReader;
import io.floe.common.schema.Schema;
import io.floe.kernel.read.VisibleRows;
import org.agrona.DirectBuffer;

/**
 * The rows of one bucket that a {@link Snapshot} sees, in key order, merged, filtered and projected:
 *
 * <pre>
 * try (RowScan scan = snapshot.scan(bucket, ScanOptions.all().withColumns(List.of("id", "v")))) {
 *     while (scan.next()) { RowReader row = scan.row(); ... }
 * }
 * </pre>
 *
 * <p>Memory: off-heap cursors and row buffers, freed by {@link #close()}; {@link #row()} is valid
 * until the next {@link #next()}. Requires: the snapshot stays open while the scan is. Threads:
 * single owner.
 */
public final class RowScan implements AutoCloseable {
    private final VisibleRows rows;
    private final Schema schema;

    RowScan(VisibleRows rows, Schema schema) {
        this.rows = rows;
        this.schema = schema;
    }

    /** Returns the schema of the returned rows: the projected columns (keyed by the projected key columns, or the first column). */
    public Schema schema() {
        return schema;
    }

    /** Moves to the next row. Returns iff there is one. */
    public boolean next() {
        return rows.next();
    }

    /** Returns the current row. Requires: the last {@link #next()} returned true. */
    public RowReader row() {
        return rows.row();
    }

    /** Returns the buffer of the current row's encoded key (at offset 0, {@link #keyLength()} bytes). */
    public DirectBuffer keyBuffer() {
        return rows.keyBuffer();
    }

    public int keyLength() {
        return rows.keyLength();
    }

    @Override
    public void close() {
        rows.close();
    }
}
