package io.floe.kernel.read;

import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.table.SstFiles;
import io.floe.sst.ColumnBatch;
import io.floe.sst.ScanSpec;
import io.floe.sst.SstReader;
import io.floe.sst.SstScan;
import java.util.List;

/**
 * The column batches of one sorted run's files in key order, each file scanned with the same
 * {@link ScanSpec} (columns, predicate, key range): one {@link SstScan} at a time, opened when the
 * run enters its file and closed when it leaves it. Files whose statistics rule the predicate out
 * are not scanned. The batches are the files' decoded pages, not copies.
 *
 * <p>Memory: the current scan's page vectors (from the table allocator, through the reader), freed
 * when it moves to the next file and by {@link #close()}; a batch is valid until the next
 * {@link #next()} or {@link #close()} (or longer once exported to Arrow, which then owns its
 * buffers). Requires: a version naming the files stays pinned while this is open. Threads: single owner.
 */
public final class RunBatches implements AutoCloseable {
    private final SstFiles files;
    private final List<FileMeta> run;
    private final ScanSpec spec;
    private SstScan scan;
    private int fileIndex = -1;

    /** Requires: {@code run} is one run's files in key order ({@link SingleVersionRun#files}). */
    public RunBatches(SstFiles files, List<FileMeta> run, ScanSpec spec) {
        this.files = files;
        this.run = List.copyOf(run);
        this.spec = spec;
    }

    /** Moves to the next batch with at least one row. Returns iff there is one. */
    public boolean next() {
        while (true) {
            if (scan != null && scan.next()) {
                return true;
            }
            if (scan != null) {
                scan.close();
                scan = null;
            }
            if (fileIndex + 1 >= run.size()) {
                fileIndex = run.size();
                return false;
            }
            fileIndex++;
            SstReader reader = files.reader(run.get(fileIndex));
            if (spec.predicate() == null || reader.mightMatch(spec.predicate())) {
                scan = reader.scan(spec);
            }
        }
    }

    /** Returns the current batch. Requires: the last {@link #next()} returned true. */
    public ColumnBatch batch() {
        return scan.batch();
    }

    @Override
    public void close() {
        if (scan != null) {
            scan.close();
            scan = null;
        }
    }
}
