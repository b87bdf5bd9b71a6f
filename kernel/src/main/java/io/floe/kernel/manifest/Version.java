package io.floe.kernel.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable snapshot of a table's live files and watermarks, one {@link BucketVersion} per
 * bucket. A reader pins a version ({@link VersionSet#pin()}) for as long as it reads the files the
 * version names; a file is deleted only when no pinned or current version names it.
 *
 * <p>Threads: immutable apart from the reference count, which only {@link VersionSet} touches
 * under its lock.
 */
public final class Version {
    private final BucketVersion[] buckets;
    private final long nextFileNumber;
    /** Pins plus one while current. Guarded by the owning VersionSet's monitor. */
    int refs;

    Version(BucketVersion[] buckets, long nextFileNumber) {
        this.buckets = buckets;
        this.nextFileNumber = nextFileNumber;
    }

    /** Returns the number of buckets. */
    public int bucketCount() {
        return buckets.length;
    }

    /** Returns bucket {@code bucket}. Requires: {@code 0 <= bucket < bucketCount()}. */
    public BucketVersion bucket(int bucket) {
        return buckets[bucket];
    }

    /** Returns the next file number recorded in this version (file numbers handed out later may be larger). */
    public long nextFileNumber() {
        return nextFileNumber;
    }

    /** Returns every live file of every bucket (a new list). */
    public List<FileMeta> allFiles() {
        List<FileMeta> files = new ArrayList<>();
        for (BucketVersion b : buckets) {
            for (SortedRun r : b.runs()) {
                files.addAll(r.files());
            }
        }
        return files;
    }

    /** Returns the edit that rebuilds this version from nothing (the first record of a new log). */
    VersionEdit snapshot() {
        VersionEdit.Builder edit = VersionEdit.builder().nextFileNumber(nextFileNumber);
        for (BucketVersion b : buckets) {
            if (b.flushedSeq() != 0) {
                edit.flushedSeq(b.bucket(), b.flushedSeq());
            }
            if (b.committedCheckpoint() != 0) {
                edit.committedCheckpoint(b.bucket(), b.committedCheckpoint());
            }
        }
        for (FileMeta f : allFiles()) {
            edit.add(f);
        }
        return edit.build();
    }

    BucketVersion[] bucketArray() {
        return buckets;
    }
}
