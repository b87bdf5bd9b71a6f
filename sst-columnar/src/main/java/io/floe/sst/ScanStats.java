package io.floe.sst;

/**
 * Counters of one scan or lookup object: what was read and what statistics let it skip.
 * Threads: owned by the scan; read them from its thread or after it is done.
 */
public final class ScanStats {
    /** Pages read and decoded (one per column per page). */
    public long pagesRead;
    /** Stored bytes read. */
    public long bytesRead;
    /** Row-aligned pages skipped by statistics or the key range (counted once for all columns). */
    public long pagesSkipped;
    /** Row groups skipped by statistics or the key range. */
    public long rowGroupsSkipped;
    /** Point lookups answered "absent" by a bloom filter. */
    public long bloomNegatives;

    @Override
    public String toString() {
        return "ScanStats{pagesRead=" + pagesRead + ", bytesRead=" + bytesRead + ", pagesSkipped=" + pagesSkipped + ", rowGroupsSkipped="
                + rowGroupsSkipped + ", bloomNegatives=" + bloomNegatives + "}";
    }
}
