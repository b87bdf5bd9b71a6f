package io.floe.kernel;

import io.floe.common.row.RowReader;
import java.util.HashMap;
import java.util.Map;

/**
 * Test helper for the crash and fault loops' tables of {@code (id BIGINT key, v BIGINT, cnt BIGINT)}
 * rows (the count column shows a write lost or applied twice).
 */
public final class CountedRows {
    private CountedRows() {
    }

    /** Returns every row of {@code t} in a snapshot: id to {v, cnt}. */
    public static Map<Long, long[]> of(Table t) {
        Map<Long, long[]> rows = new HashMap<>();
        try (Snapshot s = t.snapshot()) {
            for (int b = 0; b < s.bucketCount(); b++) {
                try (RowScan scan = s.scan(b, ScanOptions.all())) {
                    while (scan.next()) {
                        RowReader row = scan.row();
                        rows.put(row.getLong(0), new long[] {row.getLong(1), row.getLong(2)});
                    }
                }
            }
        }
        return rows;
    }
}
