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
 */
public record SstMetadata(String fileName, long fileSize, Schema schema, long rowCount, byte[] minKey, byte[] maxKey,
                          long minSeq, long maxSeq, int rowGroupCount, List<FileColumn> columns, List<ColumnStats> stats) {
    public SstMetadata {
        columns = List.copyOf(columns);
        stats = List.copyOf(stats);
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
                + rowGroupCount + " row groups}";
    }
}
