package io.floe.kernel.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One change to a table's set of live files and its per-bucket watermarks, the unit the manifest
 * appends atomically. Immutable.
 *
 * @param nextFileNumber     the next unused file number, or -1 if unchanged
 * @param flushedSeq         per bucket: every entry with a sequence number at or below it is in an SST
 * @param committedCheckpoint per bucket: the last checkpoint id committed
 * @param removed            files removed, by bucket and file number
 * @param added              files added
 */
public record VersionEdit(long nextFileNumber, Map<Integer, Long> flushedSeq, Map<Integer, Long> committedCheckpoint,
                          List<RemovedFile> removed, List<FileMeta> added) {

    /** A file leaving the live set. */
    public record RemovedFile(int bucket, long fileNumber) {
    }

    public VersionEdit {
        flushedSeq = Map.copyOf(new TreeMap<>(flushedSeq));
        committedCheckpoint = Map.copyOf(new TreeMap<>(committedCheckpoint));
        removed = List.copyOf(removed);
        added = List.copyOf(added);
    }

    /** Starts an empty edit. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link VersionEdit}. Single owner. */
    public static final class Builder {
        private long nextFileNumber = -1;
        private final Map<Integer, Long> flushedSeq = new TreeMap<>();
        private final Map<Integer, Long> committed = new TreeMap<>();
        private final List<RemovedFile> removed = new ArrayList<>();
        private final List<FileMeta> added = new ArrayList<>();

        public Builder nextFileNumber(long n) {
            nextFileNumber = n;
            return this;
        }

        public Builder flushedSeq(int bucket, long seq) {
            flushedSeq.put(bucket, seq);
            return this;
        }

        public Builder committedCheckpoint(int bucket, long checkpointId) {
            committed.put(bucket, checkpointId);
            return this;
        }

        public Builder remove(int bucket, long fileNumber) {
            removed.add(new RemovedFile(bucket, fileNumber));
            return this;
        }

        public Builder add(FileMeta file) {
            added.add(file);
            return this;
        }

        public VersionEdit build() {
            return new VersionEdit(nextFileNumber, flushedSeq, committed, removed, added);
        }
    }
}
