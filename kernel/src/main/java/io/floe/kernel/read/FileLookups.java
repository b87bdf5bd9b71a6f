package io.floe.kernel.read;

import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.Version;
import io.floe.kernel.table.SstFiles;
import io.floe.sst.PageCache;
import io.floe.sst.PointLookup;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

/**
 * The per-file point-lookup state of one reader, kept across calls: one {@link PointLookup} per SST
 * file it has read, by file number, all sharing one bounded {@link PageCache} of decoded pages. A
 * repeated lookup in a file reuses the file's lookup and the pages cached by earlier calls, and
 * allocates nothing.
 *
 * <p>Removed files: the owner calls {@link #retainOnly(Version)} whenever the version it pins is not
 * the one it saw last; the lookups (and cached pages) of files that version does not name are
 * closed. File numbers are never reused, so a lookup kept for a number always reads that file.
 *
 * <p>Memory: the cache's decoded pages (at most its budget plus the pages of one call) and each
 * lookup's row buffer, off-heap from the table allocator; freed by {@link #retainOnly} for removed
 * files and by {@link #close()}. Requires: a version naming a file is pinned while its lookup is
 * used. Threads: single owner.
 */
public final class FileLookups implements AutoCloseable {
    private final SstFiles files;
    private final PageCache cache;
    private final Long2ObjectHashMap<PointLookup> byFile = new Long2ObjectHashMap<>();
    private Version seen;

    public FileLookups(SstFiles files, PageCache cache) {
        this.files = files;
        this.cache = cache;
    }

    /** Returns the lookup of {@code file}, made on first use. Requires: a version naming it is pinned. */
    public PointLookup lookup(FileMeta file) {
        PointLookup lookup = byFile.get(file.fileNumber());
        if (lookup == null) {
            lookup = files.reader(file).newLookup(cache);
            byFile.put(file.fileNumber(), lookup);
        }
        return lookup;
    }

    /**
     * Closes the lookups of files that {@code version} does not name, unless it is the version seen
     * by the previous call (then nothing is done, without allocating).
     */
    public void retainOnly(Version version) {
        if (version == seen) {
            return;
        }
        seen = version;
        if (byFile.isEmpty()) {
            return;
        }
        LongHashSet live = new LongHashSet();
        for (FileMeta f : version.allFiles()) {
            live.add(f.fileNumber());
        }
        LongArrayList dead = new LongArrayList();
        for (Long2ObjectHashMap<PointLookup>.KeyIterator it = byFile.keySet().iterator(); it.hasNext(); ) {
            long n = it.nextLong();
            if (!live.contains(n)) {
                dead.addLong(n);
            }
        }
        for (int i = 0; i < dead.size(); i++) {
            byFile.remove(dead.getLong(i)).close();
        }
    }

    /**
     * Returns the number of kept lookups whose file the version seen last does not name: 0 after
     * every {@link #retainOnly} (for tests; allocates).
     */
    public int filesOutsideSeenVersion() {
        if (seen == null) {
            return byFile.size();
        }
        LongHashSet live = new LongHashSet();
        for (FileMeta f : seen.allFiles()) {
            live.add(f.fileNumber());
        }
        int outside = 0;
        for (Long2ObjectHashMap<PointLookup>.KeyIterator it = byFile.keySet().iterator(); it.hasNext(); ) {
            if (!live.contains(it.nextLong())) {
                outside++;
            }
        }
        return outside;
    }

    /** Returns the number of files with a kept lookup. */
    public int files() {
        return byFile.size();
    }

    /** Returns the shared page cache (for its counters). */
    public PageCache cache() {
        return cache;
    }

    /** Closes every kept lookup and the cache. Idempotent. */
    @Override
    public void close() {
        for (PointLookup lookup : byFile.values()) {
            lookup.close();
        }
        byFile.clear();
        cache.close();
    }
}
