package io.floe.kernel.table;

import io.floe.common.error.FloeIOException;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.VersionSet;
import io.floe.sst.SstReader;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open {@link SstReader}s of a table, one per live file, opened on first use and shared by every
 * reader thread (an {@code SstReader} is safe to share; lookups and iterators taken from it are not).
 * It is also the manifest's {@link VersionSet.FileDeleter}: a file no version needs any more is
 * closed and deleted. A caller reads a file only while a pinned version names it, so the deleter
 * never closes a reader in use: the manifest calls {@link #delete} once the last version naming the
 * file is unreferenced (by the version change and every {@code Pin} of an older version), and a pin
 * only ever takes the current version, which never names a deleted file again. Holders of per-file
 * state across pins ({@code FileLookups}) drop it for files the version they pin next does not name.
 *
 * <p>Memory: each reader holds its file handle, small heap indexes and its bloom filters, off-heap
 * from the table allocator; {@link #delete} and {@link #close()} close the readers, which frees the
 * filters (a probe after that would read freed memory: {@code SstReaderLifetimeTest} races lookups
 * and scans against compactions). Threads: every method is safe from any thread.
 */
public final class SstFiles implements VersionSet.FileDeleter, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SstFiles.class.getName());

    private final TableLayout layout;
    private final OffHeapAllocator allocator;
    private final ConcurrentHashMap<Long, SstReader> readers = new ConcurrentHashMap<>();

    public SstFiles(TableLayout layout, OffHeapAllocator allocator) {
        this.layout = layout;
        this.allocator = allocator;
    }

    /**
     * Returns the shared reader of {@code file}. Requires: a version that names {@code file} is pinned.
     * Throws {@code CorruptionException} if the file is damaged, {@link FloeIOException} if unreadable.
     */
    public SstReader reader(FileMeta file) {
        return readers.computeIfAbsent(file.fileNumber(), n -> SstReader.open(layout.sstFile(file.bucket(), n), allocator));
    }

    @Override
    public void delete(FileMeta file) {
        SstReader r = readers.remove(file.fileNumber());
        if (r != null) {
            r.close();
        }
        try {
            FaultPoints.io(FaultPoint.OBSOLETE_DELETE, layout.sstFile(file.bucket(), file.fileNumber()));
            Files.deleteIfExists(layout.sstFile(file.bucket(), file.fileNumber()));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "deleting " + file + " failed; it is removed as an orphan at the next open", e);
        }
    }

    @Override
    public void close() {
        for (Long n : readers.keySet()) {
            SstReader r = readers.remove(n);
            if (r != null) {
                r.close();
            }
        }
    }
}
