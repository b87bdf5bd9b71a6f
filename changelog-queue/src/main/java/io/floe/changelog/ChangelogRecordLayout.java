package io.floe.changelog;

/**
 * The byte layout of one changelog record: the payload of exactly one Chronicle Queue excerpt.
 * Chronicle's own 4-byte excerpt header (length and flags) precedes it and is not part of it.
 * All integers are little-endian. Drawn again, with the file structure around it, in
 * {@code docs/formats/changelog.md}.
 *
 * <pre>
 * offset  size  field
 *      0     4  crc       CRC32C (Castagnoli) of bytes [4, 24 + keyLength + rowLength)
 *      4     1  version   record format version, {@value #VERSION}
 *      5     1  kind      RowKind value: 0 = +I, 1 = -U, 2 = +U, 3 = -D
 *      6     1  flags     bit 0 = VOID (a torn record neutralised by recovery); other bits 0
 *      7     1  reserved  0
 *      8     8  seq       sequence number, strictly increasing over non-void records
 *     16     4  keyLength key byte count, 0 &lt;= keyLength
 *     20     4  rowLength row byte count, 0 &lt;= rowLength
 *     24     k  key       the memcomparable key bytes
 *   24+k     r  row       the binary row bytes
 * </pre>
 *
 * <p>A record is valid iff its excerpt is at least {@value #HEADER_LENGTH} bytes long, the excerpt
 * length equals {@code 24 + keyLength + rowLength}, the version is known, the kind is a RowKind
 * value and the CRC matches. A VOID record has kind 0, keyLength 0, a zero-filled row of whatever
 * length the torn excerpt had, the highest seq before it (or -1), or its own seq if it was a valid
 * record aborted by {@link UncommittedPolicy#ABORT}, and a valid CRC; readers skip it. Void records keep the seq column non-decreasing so that a binary search
 * over queue indexes stays correct.
 */
public final class ChangelogRecordLayout {
    private ChangelogRecordLayout() {
    }

    /** The record format version this code writes and reads. */
    public static final byte VERSION = 1;

    public static final int CRC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int KIND_OFFSET = 5;
    public static final int FLAGS_OFFSET = 6;
    public static final int RESERVED_OFFSET = 7;
    public static final int SEQ_OFFSET = 8;
    public static final int KEY_LENGTH_OFFSET = 16;
    public static final int ROW_LENGTH_OFFSET = 20;
    /** Bytes before the key; also the offset of the key. */
    public static final int HEADER_LENGTH = 24;
    /** The CRC covers [CRC_COVERED_FROM, record end). */
    public static final int CRC_COVERED_FROM = 4;

    /** Flag bit: the record is a void placeholder for a torn record. */
    public static final byte FLAG_VOID = 1;

    /** Returns the record length for a key and row of the given lengths. */
    public static int recordLength(int keyLength, int rowLength) {
        return HEADER_LENGTH + keyLength + rowLength;
    }
}
