package io.floe.kernel;

import io.floe.common.bytes.Checksums;
import org.agrona.DirectBuffer;

/**
 * Which bucket a row belongs to: {@code Integer.remainderUnsigned(CRC32C(encodedKey), buckets)},
 * where {@code encodedKey} is the memcomparable key ({@code io.floe.common.key.KeyEncoder}) of the
 * row's primary key columns. CRC32C (Castagnoli, the {@code java.util.zip.CRC32C} function) and the
 * key encoding are fixed formats, so the mapping is stable across versions and processes: it is
 * part of the on-disk contract (rows are found only in the bucket this function names).
 *
 * <p>Threads: stateless.
 */
public final class BucketRouting {
    private BucketRouting() {
    }

    /**
     * Returns the bucket of the encoded key {@code key[offset, offset+length)} in a table of
     * {@code buckets} buckets. Requires: {@code buckets >= 1}.
     */
    public static int bucketOf(DirectBuffer key, int offset, int length, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
        }
        return Integer.remainderUnsigned(Checksums.crc32c(key, offset, length), buckets);
    }

    /**
     * The same as {@link #bucketOf(DirectBuffer, int, int, int)} through the caller's reusable
     * {@code hasher}, allocating nothing: for the write path, whose owner keeps one.
     */
    public static int bucketOf(Checksums.Hasher hasher, DirectBuffer key, int offset, int length, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
        }
        return Integer.remainderUnsigned(hasher.hash(key, offset, length), buckets);
    }

    /** Returns the bucket of the encoded key {@code key} in a table of {@code buckets} buckets. */
    public static int bucketOf(byte[] key, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
        }
        return Integer.remainderUnsigned(Checksums.crc32c(key, 0, key.length), buckets);
    }
}
