package io.floe.flink.source;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.common.row.RowReader;
import io.floe.flink.FloeRowData;
import io.floe.kernel.RowScan;
import io.floe.kernel.ScanOptions;
import io.floe.kernel.Snapshot;
import io.floe.kernel.Table;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.types.RowKind;

/**
 * Reads one bucket split: its snapshot in key order (rows as +I; only those the pushed
 * {@link ScanFilter} keeps), then, unless bounded, its changelog as the kinds the records carry
 * (unfiltered), keeping {@link SplitProgress} exact after every row so a
 * checkpoint taken between two {@link #emit} calls resumes exactly there.
 *
 * <p>Memory: holds a {@link Snapshot} and {@link RowScan} during the snapshot phase, a
 * {@link ChangelogTailer} during the tail phase; {@link #close()} frees them. Rows handed to the
 * output are flyweights valid only during {@code collect} (Flink copies or serializes them).
 *
 * <p>Threads: single owner, the source reader's task thread (Chronicle tailers are bound to the
 * thread that first reads them).
 */
final class BucketSplitReader implements AutoCloseable {
    private final Table table;
    private final SplitProgress progress;
    private final boolean bounded;
    private final IsolationLevel isolation;
    private final RowReader rowReader;
    private final FloeRowData view;
    /** Null iff every column is emitted; projects the changelog's whole rows. */
    private final ProjectedRowData projected;
    /**
     * What the snapshot scan reads: the pushed filter's rows, and only the emitted columns (SST
     * files are then read for those and the filter's columns only), its rows already projected.
     */
    private final ScanOptions scanOptions;
    /** A view of the snapshot scan's rows (over its schema), made with the first scan. */
    private FloeRowData scanView;
    private Snapshot snapshot;
    private RowScan scan;
    private ChangelogTailer tailer;
    private boolean finished;

    BucketSplitReader(Table table, BucketSplit split, boolean bounded, IsolationLevel isolation, ScanPushDown pushed) {
        this.table = table;
        this.progress = new SplitProgress(split);
        this.bounded = bounded;
        this.isolation = isolation;
        this.rowReader = new RowReader(table.schema()).source("bucket " + split.bucket() + " of table " + table.name());
        this.view = new FloeRowData(table.schema());
        int[] projection = pushed.projection();
        this.projected = projection == null ? null : ProjectedRowData.from(projection);
        this.scanOptions = ScanOptions.all().withPredicate(pushed.filter().toPredicate()).withColumns(columnNames(table, projection));
    }

    /**
     * Hands up to {@code limit} rows to {@code output} without blocking. Returns the number handed
     * over (0: nothing available now, or {@link #finished()}).
     */
    int emit(SourceOutput<RowData> output, int limit) {
        int count = 0;
        if (progress.phase() == BucketSplit.Phase.SNAPSHOT) {
            if (scan == null) {
                snapshot = table.snapshot(isolation);
                byte[] from = progress.startScan(snapshot.seq(progress.bucket()));
                scan = snapshot.scan(progress.bucket(), from == null ? scanOptions : scanOptions.withRange(from, null));
                if (scanView == null) {
                    scanView = scanOptions.columns() == null ? view : new FloeRowData(scan.schema());
                }
            }
            while (count < limit) {
                if (!scan.next()) {
                    closeSnapshot();
                    if (bounded) {
                        finished = true;
                        return count;
                    }
                    progress.scanDone();
                    break;
                }
                progress.emitted(scan.keyBuffer(), scan.keyLength());
                output.collect(scanRow(scan.row()));
                count++;
            }
            if (progress.phase() == BucketSplit.Phase.SNAPSHOT) {
                return count;
            }
        }
        if (tailer == null) {
            tailer = table.tail(progress.bucket(), progress.nextSeq(), isolation);
        }
        while (count < limit) {
            ChangelogRecord record = tailer.poll();
            if (record == null) {
                break;
            }
            if (progress.acceptTail(record.seq(), record.key(), record.keyLength())) {
                rowReader.wrap(record.row(), 0, record.rowLength());
                output.collect(row(rowReader, kind(record.kind())));
                count++;
            }
        }
        return count;
    }

    /** Returns a snapshot row as emitted: projected by the scan already, unless the projection could not be pushed. */
    private RowData scanRow(RowReader row) {
        if (scanOptions.columns() != null) {
            scanView.wrap(row, RowKind.INSERT);
            return scanView;
        }
        return row(row, RowKind.INSERT);
    }

    /**
     * Returns the names of the columns of {@code projection} for the scan, or null (read every
     * column, project afterwards) if there is no projection or it names a column twice (a scan's
     * columns are distinct).
     */
    private static List<String> columnNames(Table table, int[] projection) {
        if (projection == null) {
            return null;
        }
        List<String> names = new ArrayList<>(projection.length);
        for (int c : projection) {
            String name = table.schema().column(c).name();
            if (names.contains(name)) {
                return null;
            }
            names.add(name);
        }
        return names;
    }

    private RowData row(RowReader row, RowKind kind) {
        view.wrap(row, kind);
        return projected == null ? view : projected.replaceRow(view);
    }

    private static RowKind kind(io.floe.common.RowKind kind) {
        return switch (kind) {
            case INSERT -> RowKind.INSERT;
            case UPDATE_BEFORE -> RowKind.UPDATE_BEFORE;
            case UPDATE_AFTER -> RowKind.UPDATE_AFTER;
            case DELETE -> RowKind.DELETE;
        };
    }

    /** Returns iff the split is done (bounded reads, after the snapshot). */
    boolean finished() {
        return finished;
    }

    String splitId() {
        return "bucket-" + progress.bucket();
    }

    /** Returns the split's state now, for a checkpoint. */
    BucketSplit split() {
        return progress.toSplit();
    }

    private void closeSnapshot() {
        if (scan != null) {
            scan.close();
            scan = null;
        }
        if (snapshot != null) {
            snapshot.close();
            snapshot = null;
        }
    }

    @Override
    public void close() {
        closeSnapshot();
        if (tailer != null) {
            tailer.close();
            tailer = null;
        }
    }
}
