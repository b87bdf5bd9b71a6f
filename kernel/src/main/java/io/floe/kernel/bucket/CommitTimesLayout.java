package io.floe.kernel.bucket;

/**
 * The byte layout of a bucket's commit-time log ({@code bucket-<n>/commit-times}, drawn in
 * {@code docs/formats/table-directory.md}): a sequence of fixed 24-byte entries, one per commit
 * that moved the committed seq, in commit order, little-endian:
 *
 * <pre>
 * offset  size  field
 *  0      8     commitMillis  epoch millis of the commit (the store's clock), non-decreasing
 *  8      8     seq           the committed seq the commit published, strictly increasing
 * 16      4     crc           CRC32C of bytes [0, 16)
 * 20      4     reserved      zero
 * </pre>
 *
 * There is no header: entry i starts at {@code i * ENTRY}. A file whose length is not a multiple of
 * {@code ENTRY}, or whose last entry fails its CRC, was torn by a crash and is cut back to its last
 * whole entry when opened.
 */
final class CommitTimesLayout {
    static final int ENTRY = 24;
    static final int MILLIS_OFFSET = 0;
    static final int SEQ_OFFSET = 8;
    static final int CRC_OFFSET = 16;
    static final int CRC_COVERED = 16;

    private CommitTimesLayout() {
    }
}
