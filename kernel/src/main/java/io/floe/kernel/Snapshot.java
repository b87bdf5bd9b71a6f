package io.floe.kernel;

import io.floe.common.error.ClosedException;
import io.floe.common.schema.Column;
import io.floe.common.schema.Schema;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.VersionSet;
import io.floe.kernel.merge.KeyFolder;
import io.floe.kernel.merge.MergeEngine;
import io.floe.kernel.read.BucketView;
import io.floe.kernel.read.ProjectedEngine;
import io.floe.kernel.read.ReadColumns;
import io.floe.kernel.read.RowPredicate;
import io.floe.kernel.read.RunBatches;
import io.floe.kernel.read.SingleVersionRun;
import io.floe.kernel.read.VisibleRows;
import io.floe.memtable.EntryView;
import io.floe.sst.ScanSpec;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * A consistent read view of every bucket of a table: per bucket, exactly the writes with a seq at or
 * below {@link #seq(int)}, however many flushes and compactions happen meanwhile. For streaming, a
 * reader scans the snapshot and then tails each bucket from {@code seq(bucket) + 1}
 * ({@link Table#tail}): nothing is missed and nothing is read twice.
 *
 * <p>Scans: the predicate is evaluated on each merged row; a predicate on key columns only also
 * skips SST files whose statistics rule it out (a predicate on other columns cannot: a newer
 * version in a skipped file could shadow an older matching one). A scan that names its columns reads
 * from SST files only those and the predicate's columns.
 *
 * <p>Column batches: {@link #scanBatches} returns the same rows as {@link #scan} in
 * {@link io.floe.sst.ColumnBatch}es, straight from the SST pages when the range needs no merge.
 *
 * <p>Memory: holds the memtables and SST files the view needs (a version pin and memtable
 * references) until {@link #close()}; close it promptly, and before the table. Threads: {@link #scan},
 * {@link #scanBatches} and {@link #get} are safe from any thread, each scan being single-owner.
 */
public final class Snapshot implements AutoCloseable {
    private final Table table;
    private final VersionSet.Pin pin;
    private final BucketView[] views;
    /** The gets under way, which {@link #close()} waits for before it releases their memtables and files. */
    private final ReadGate gets = new ReadGate();
    private boolean closed;

    Snapshot(Table table, VersionSet.Pin pin, BucketView[] views) {
        this.table = table;
        this.pin = pin;
        this.views = views;
    }

    /** Returns the seq of bucket {@code bucket} this snapshot sees (0 if nothing was ever written). */
    public long seq(int bucket) {
        return views[bucket].seq();
    }

    /** Returns the number of buckets. */
    public int bucketCount() {
        return views.length;
    }

    /**
     * Returns a scan of bucket {@code bucket}.
     * Throws {@link IllegalArgumentException} if a column or predicate column is unknown, {@link ClosedException} if closed.
     */
    public synchronized RowScan scan(int bucket, ScanOptions options) {
        checkOpen();
        Schema schema = table.schema();
        int[] projection = projection(schema, options);
        Schema out = projected(schema, projection);
        BucketView view = views[bucket];
        java.util.Set<String> keyNames = new java.util.HashSet<>(schema.primaryKeyNames());
        io.floe.sst.Predicate keyPredicate = options.predicate() != null && RowPredicate.onlyColumns(options.predicate(), keyNames)
                ? options.predicate() : null;
        // SST files are read for the returned and the tested columns only; the rest stay null in
        // the rows, which the engines fold column by column (ReadColumns, ProjectedEngine).
        boolean[] read = ReadColumns.of(schema, projection, options.predicate());
        MergeEngine engine = read == null ? table.context().engine() : ProjectedEngine.of(table.context().engine());
        return new RowScan(new VisibleRows(view.sources(keyPredicate, read), engine, table.context().allocator(), options.fromKey(),
                options.toKey(), options.predicate(), projection, out), out);
    }

    /**
     * Returns a column-batch scan of bucket {@code bucket}: the rows {@link #scan} returns with the
     * same options, in batches of the returned columns only. Zero-copy (the SST files' decoded
     * pages, exportable to Arrow without a copy) when the key range needs no merge, otherwise
     * batches filled from the merged rows; {@link BatchScan} says when and why.
     * Throws {@link IllegalArgumentException} if a column or predicate column is unknown,
     * {@link ClosedException} if closed, {@code CorruptionException} if a file it reads is damaged.
     */
    public BatchScan scanBatches(int bucket, ScanOptions options) {
        return scanBatches(bucket, options, BatchScan.DEFAULT_BATCH_ROWS);
    }

    /** As {@link #scanBatches(int, ScanOptions)}, with merged batches of up to {@code batchRows} rows (tests). */
    synchronized BatchScan scanBatches(int bucket, ScanOptions options, int batchRows) {
        checkOpen();
        if (batchRows < 1) {
            throw new IllegalArgumentException("batches of " + batchRows + " rows");
        }
        Schema schema = table.schema();
        Schema out = projected(schema, projection(schema, options));
        // The view's runs are those of the pinned version (Table#snapshot builds each view from it).
        List<FileMeta> files = SingleVersionRun.files(views[bucket], pin.version().bucket(bucket).runs(), table.context().files(),
                options.fromKey(), options.toKey());
        if (files == null) {
            return BatchScan.merged(scan(bucket, options), table.context().allocator(), batchRows);
        }
        List<String> names = new ArrayList<>(out.columnCount());
        out.columns().forEach(c -> names.add(c.name()));
        ScanSpec spec = new ScanSpec(names, options.predicate(), options.fromKey(), options.toKey());
        return BatchScan.direct(new RunBatches(table.context().files(), files, spec), out);
    }

    /**
     * Returns the schema indexes of the options' columns, or null for every column.
     * Throws {@link IllegalArgumentException} if a column or predicate column is not in {@code schema}.
     */
    private static int[] projection(Schema schema, ScanOptions options) {
        if (options.predicate() != null) {
            List<String> names = new ArrayList<>();
            schema.columns().forEach(c -> names.add(c.name()));
            if (!RowPredicate.onlyColumns(options.predicate(), new java.util.HashSet<>(names))) {
                throw new IllegalArgumentException("predicate " + options.predicate() + " names a column that is not in " + schema);
            }
        }
        if (options.columns() == null) {
            return null;
        }
        int[] projection = new int[options.columns().size()];
        for (int i = 0; i < projection.length; i++) {
            int c = schema.indexOf(options.columns().get(i));
            if (c < 0) {
                throw new IllegalArgumentException("column '" + options.columns().get(i) + "' is not in " + schema);
            }
            projection[i] = c;
        }
        return projection;
    }

    /** Returns the schema of rows of {@code projection} (null: {@code schema}), keyed by its key columns or its first. */
    private static Schema projected(Schema schema, int[] projection) {
        if (projection == null) {
            return schema;
        }
        List<Column> cols = new ArrayList<>();
        List<String> key = new ArrayList<>();
        for (int c : projection) {
            cols.add(schema.column(c));
            if (schema.isKeyColumn(c)) {
                key.add(schema.column(c).name());
            }
        }
        return Schema.of(cols, key.isEmpty() ? List.of(cols.get(0).name()) : key);
    }

    /**
     * Returns a copy of the row of the encoded key {@code key[offset, offset+length)} as this snapshot
     * sees it, or null if there is none. Throws {@link ClosedException} if closed.
     */
    public byte[] get(DirectBuffer key, int offset, int length) {
        gets.enter("snapshot");
        try {
            table.enterRead();
            try (KeyFolder folder = new KeyFolder(table.context().engine(), table.context().allocator())) {
                BucketView view = views[table.bucketOf(key, offset, length)];
                if (!view.get(key, offset, length, folder, new EntryView())) {
                    return null;
                }
                var row = folder.row();
                byte[] copy = new byte[row.length()];
                row.buffer().getBytes(row.offset(), copy);
                return copy;
            } finally {
                table.exitRead();
            }
        } finally {
            gets.exit();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ClosedException("snapshot is closed");
        }
    }

    /**
     * Releases what the snapshot holds, after the {@link #get}s under way on other threads end (a
     * get that starts later throws {@link ClosedException}). Requires: its scans are closed. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        gets.closeAndAwait();
        for (BucketView v : views) {
            v.close();
        }
        pin.close();
    }
}
