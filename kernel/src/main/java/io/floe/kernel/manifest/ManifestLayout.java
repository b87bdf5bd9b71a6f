package io.floe.kernel.manifest;

import java.nio.charset.StandardCharsets;

/**
 * The manifest of one table (docs/formats/manifest.md, format version 1). All integers are
 * little-endian; all checksums are CRC32C.
 *
 * <pre>
 * manifest/CURRENT              text: the live log's file name and '\n', e.g. "MANIFEST-000007\n".
 *                               Replaced only by atomic rename of CURRENT.tmp (written and fsynced
 *                               first), then the directory is fsynced.
 *
 * manifest/MANIFEST-nnnnnn      a log of records after a 16-byte file header:
 *   0   magic       8 bytes   "FLOEMANI"
 *   8   version     u32       1
 *   12  headerCrc   u32       CRC32C of bytes [0, 12)
 *   16  record*
 *
 * record (12-byte header, then the payload):
 *   +0  payloadCrc  u32       CRC32C of the payload
 *   +4  length      u32       payload bytes, 1 .. MAX_PAYLOAD_BYTES
 *   +8  headerCrc   u32       CRC32C of bytes [+0, +8) of this record
 *   +12 payload     length bytes: one version edit
 *
 * version edit payload: a sequence of fields, each a tag byte and its body:
 *   1 NEXT_FILE_NUMBER        u64 next
 *   2 FLUSHED_SEQ             u32 bucket, u64 seq
 *   3 COMMITTED_CHECKPOINT    u32 bucket, u64 checkpointId
 *   4 REMOVE_FILE             u32 bucket, u64 fileNumber
 *   5 ADD_FILE                u32 bucket, u64 runId, u64 fileNumber, u64 sizeBytes, u64 minSeq,
 *                             u64 maxSeq, u64 rowCount, u32 n, n bytes smallestKey,
 *                             u32 m, m bytes largestKey
 *   Fields appear in tag order within a record; removals apply before additions.
 *
 * The first record of every log is a full snapshot of the state (a single edit adding every live
 * file and setting every watermark), so a log never depends on an older one.
 *
 * Torn tail (a crash during an append): the log ends inside a record header, or a record's header
 * checks but its payload runs past the end of the file, or every byte from a record's start to the
 * end of the file is zero. Such a tail is dropped on replay. Any other mismatch is corruption and
 * names the file and the offset of the damaged record.
 * </pre>
 */
public final class ManifestLayout {
    public static final byte[] MAGIC = "FLOEMANI".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int FILE_HEADER_BYTES = 16;
    public static final int RECORD_HEADER_BYTES = 12;
    public static final int MAX_PAYLOAD_BYTES = 64 << 20;
    /** The most bytes of a key a file may record as its smallest or largest key. */
    public static final int MAX_KEY_BYTES = 1 << 20;

    public static final byte TAG_NEXT_FILE_NUMBER = 1;
    public static final byte TAG_FLUSHED_SEQ = 2;
    public static final byte TAG_COMMITTED_CHECKPOINT = 3;
    public static final byte TAG_REMOVE_FILE = 4;
    public static final byte TAG_ADD_FILE = 5;

    public static final String CURRENT = "CURRENT";
    public static final String CURRENT_TEMP = "CURRENT.tmp";
    public static final String LOG_PREFIX = "MANIFEST-";

    private ManifestLayout() {
    }

    /** Returns the file name of manifest log {@code number}, e.g. "MANIFEST-000007". */
    public static String logName(long number) {
        return String.format("%s%06d", LOG_PREFIX, number);
    }

    /** Returns the number of the manifest log named {@code name}, or -1 if it is not a log name. */
    public static long logNumber(String name) {
        if (!name.startsWith(LOG_PREFIX) || name.length() < LOG_PREFIX.length() + 6 || name.length() > LOG_PREFIX.length() + 18) {
            return -1;
        }
        for (int i = LOG_PREFIX.length(); i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(name.substring(LOG_PREFIX.length()));
    }
}
