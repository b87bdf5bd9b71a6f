package io.floe.sst;

import io.floe.common.schema.Schema;
import java.util.List;

/**
 * What the manifest records about one SST file. Immutable; the byte arrays are not to be modified.
 *
 * @param fileName      the file's name (without directory)
 * @param fileSize      bytes
 * @param schema        the schema of every row
 * @param rowCount      entries (all versions)
 * @param minKey        the first key (memcomparable bytes)
 * @param maxKey        the last key
 * @param minSeq        the smallest sequence number
 * @param maxSeq        the largest sequence number
 * @param rowGroupCount row groups
 * @param columns       the physical columns: _key, _seq, _kind, then the schema's
 * @param stats         file statistics of each physical column, in the order of {@code columns}
 * @param keys          whether a key occurs in more than one entry of the file, as the file records it
 *                      ({@link KeyMultiplicity#UNKNOWN} for files of format versions 1 and 2)
 */
public record SstMetadata(String fileName, long fileSize, Schema schema, long rowCount, byte[] minKey, byte[] maxKey,
                          long minSeq, long maxSeq, int rowGroupCount, List<FileColumn> columns, List<ColumnStats> stats,
                          KeyMultiplicity keys) {
    /**
     * Whether an SST's keys repeat: the footer's {@code keys} byte ({@link SstLayout}), exact, set
     * by the writer from its key order check of every entry.
     */
    public enum KeyMultiplicity {
        /** Every key occurs in exactly one entry of the file (one version per key). */
        UNIQUE,
        /** Some key occurs in two or more entries (versions) of the file; where is not recorded. */
        REPEATED,
        /** Not recorded: a file of format version 1 or 2. */
        UNKNOWN
    }

    public SstMetadata {
        columns = List.copyOf(columns);
        stats = List.copyOf(stats);
        java.util.Objects.requireNonNull(keys, "keys");
    }

    /** Returns the statistics of the schema column named {@code name} (or _key, _seq, _kind). */
    public ColumnStats statsOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return stats.get(i);
            }
        }
        throw new IllegalArgumentException("no column '" + name + "' in " + schema);
    }

    @Override
    public String toString() {
        return "SstMetadata{" + fileName + ", " + fileSize + " bytes, " + rowCount + " rows, seq [" + minSeq + ", " + maxSeq + "], "
                + rowGroupCount + " row groups, keys " + keys + "}";
    }
}
