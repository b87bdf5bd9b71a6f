package io.floe.kernel.manifest;

import io.floe.common.bytes.ByteComparisons;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One SST of a bucket, as the manifest records it. Immutable; the key arrays are never modified
 * (callers must not modify the arrays they pass or get).
 *
 * @param bucket      the bucket the file belongs to
 * @param runId       the sorted run the file belongs to (a run is one or more files with disjoint key ranges)
 * @param fileNumber  the table-wide unique number that names the file
 * @param sizeBytes   the file's size
 * @param smallestKey the smallest encoded key in the file
 * @param largestKey  the largest encoded key in the file
 * @param minSeq      the smallest sequence number of an entry in the file
 * @param maxSeq      the largest sequence number of an entry in the file
 * @param rowCount    the number of entries in the file
 */
public record FileMeta(int bucket, long runId, long fileNumber, long sizeBytes, byte[] smallestKey, byte[] largestKey, long minSeq,
                       long maxSeq, long rowCount) {

    /** Throws {@link IllegalArgumentException} if a number is negative or a range is reversed. */
    public FileMeta {
        if (bucket < 0 || runId < 0 || fileNumber < 0 || sizeBytes < 0 || rowCount < 0 || minSeq < 0 || maxSeq < minSeq) {
            throw new IllegalArgumentException("bad file metadata: bucket " + bucket + ", run " + runId + ", file " + fileNumber + ", size "
                    + sizeBytes + ", rows " + rowCount + ", seq " + minSeq + ".." + maxSeq);
        }
        if (ByteComparisons.compare(smallestKey, largestKey) > 0) {
            throw new IllegalArgumentException("file " + fileNumber + ": smallest key " + hex(smallestKey) + " > largest key " + hex(largestKey));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileMeta f && bucket == f.bucket && runId == f.runId && fileNumber == f.fileNumber && sizeBytes == f.sizeBytes
                && Arrays.equals(smallestKey, f.smallestKey) && Arrays.equals(largestKey, f.largestKey) && minSeq == f.minSeq
                && maxSeq == f.maxSeq && rowCount == f.rowCount;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fileNumber) * 31 + Arrays.hashCode(smallestKey);
    }

    @Override
    public String toString() {
        return "file " + fileNumber + " (bucket " + bucket + ", run " + runId + ", " + sizeBytes + " bytes, keys " + hex(smallestKey) + ".."
                + hex(largestKey) + ", seq " + minSeq + ".." + maxSeq + ", " + rowCount + " rows)";
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
