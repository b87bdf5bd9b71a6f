package io.floe.flink.source;

import java.io.Serializable;

/**
 * What the planner pushed into a Floe scan: the columns to emit, the rows to keep and, for bounded
 * reads, how many rows a reader needs to emit at most. Immutable.
 *
 * @param projection top-level column indices to emit, in this order; null: every column
 * @param filter     the rows the snapshot scans keep (the changelog is not filtered: in streaming
 *                   reads Flink applies the same filters again)
 * @param limit      for bounded reads, the most rows each reader emits; -1: no limit
 */
public record ScanPushDown(int[] projection, ScanFilter filter, long limit) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Nothing pushed: every column and row. */
    public static final ScanPushDown NONE = new ScanPushDown(null, ScanFilter.NONE, -1);

    public ScanPushDown {
        projection = projection == null ? null : projection.clone();
        filter = filter == null ? ScanFilter.NONE : filter;
        if (limit < -1) {
            throw new IllegalArgumentException("limit must be >= 0 or -1 (none), got " + limit);
        }
    }

    @Override
    public int[] projection() {
        return projection == null ? null : projection.clone();
    }

    public ScanPushDown withProjection(int[] columns) {
        return new ScanPushDown(columns, filter, limit);
    }

    public ScanPushDown withFilter(ScanFilter f) {
        return new ScanPushDown(projection, f, limit);
    }

    public ScanPushDown withLimit(long rows) {
        return new ScanPushDown(projection, filter, rows);
    }
}
