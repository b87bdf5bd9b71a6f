package io.floe.cli.demo;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.common.RowKind;
import io.floe.common.row.RowReader;
import io.floe.flink.FloeStores;
import io.floe.kernel.Snapshot;
import io.floe.kernel.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the committed changelog of every bucket of a table (read-committed), from the end of
 * the table as it is when created. Single-owner: poll it from one thread; close it before its lease.
 */
final class ChangelogFollower implements AutoCloseable {
    /** Receives one change: its kind and the row (valid only during the call). */
    interface Handler {
        void change(RowKind kind, RowReader row);
    }

    private final List<ChangelogTailer> tailers = new ArrayList<>();
    private final RowReader row;

    ChangelogFollower(FloeStores.Lease lease) {
        Table table = lease.table();
        try (Snapshot snapshot = table.snapshot()) {
            for (int b = 0; b < table.bucketCount(); b++) {
                tailers.add(table.tail(b, snapshot.seq(b) + 1, IsolationLevel.READ_COMMITTED));
            }
        }
        row = new RowReader(table.schema()).source("changelog of " + table.name());
    }

    /** Hands every change committed since the last call to {@code handler}; returns their number. */
    int poll(Handler handler) {
        int n = 0;
        for (ChangelogTailer t : tailers) {
            ChangelogRecord r;
            while ((r = t.poll()) != null) {
                row.wrap(r.row(), 0, r.rowLength());
                handler.change(r.kind(), row);
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        for (ChangelogTailer t : tailers) {
            t.close();
        }
    }
}
