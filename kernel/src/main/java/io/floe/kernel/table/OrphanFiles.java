package io.floe.kernel.table;

import io.floe.common.error.FloeIOException;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.Version;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Deletes SST files the manifest does not name: files of a flush or compaction that crashed before
 * its manifest edit, temporary files of an unfinished write, and obsolete files whose deletion
 * failed. Requires: the table lock is held and no flush or compaction has started since
 * {@code version} was read. Threads: the opening thread.
 */
public final class OrphanFiles {
    private OrphanFiles() {
    }

    /** Returns how many files were deleted. Throws {@link FloeIOException} if a directory cannot be listed or a file deleted. */
    public static int delete(TableLayout layout, Version version) {
        Set<Long> live = new HashSet<>();
        for (FileMeta f : version.allFiles()) {
            live.add(f.fileNumber());
        }
        int deleted = 0;
        for (int b = 0; b < version.bucketCount(); b++) {
            Path dir = layout.sstDir(b);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path p : files) {
                    String name = p.getFileName().toString();
                    long n = TableLayout.sstNumber(name);
                    if (name.endsWith(".tmp") || (n >= 0 && !live.contains(n))) {
                        FaultPoints.io(FaultPoint.ORPHAN_DELETE, p);
                        Files.deleteIfExists(p);
                        deleted++;
                    }
                }
            } catch (IOException e) {
                throw FloeIOException.of("delete orphan SSTs", dir, e);
            }
        }
        return deleted;
    }
}
