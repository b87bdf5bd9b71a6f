package io.floe.changelog;

import static io.floe.changelog.ChangelogRecordLayout.*;

import io.floe.common.RowKind;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Checks and decodes one excerpt read from the queue into a {@link ChangelogRecord}, in place.
 * Every length is bounds-checked against the excerpt before any memory is touched; the checksum is
 * verified before any field is trusted.
 *
 * <p>Memory: reads the mapped memory of the excerpt only while the caller holds it (inside
 * Chronicle's reading document, or until the tailer moves on).
 *
 * <p>Threads: single owner (one per tailer, recovery scan or seq search).
 */
final class RecordDecoder {
    /** The excerpt held a valid record; the record view was filled. */
    static final int OK = 0;
    /** The excerpt held a valid VOID record (a torn record neutralised by recovery); skip it. */
    static final int VOID = 1;
    /** The excerpt is damaged; {@link #damage()} says how. */
    static final int DAMAGED = 2;

    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final NativeCrc32c crc = new NativeCrc32c();
    private String damage;
    private long position;
    private long voidSeq;

    /**
     * Decodes the excerpt at {@code bytes[readPosition, readLimit)} (positions are file offsets).
     * Returns {@link #OK}, {@link #VOID} or {@link #DAMAGED}; fills {@code into} iff OK.
     */
    int decode(Bytes<?> bytes, long queueIndex, ChangelogRecord into) {
        long pos = bytes.readPosition();
        long len = bytes.readRemaining();
        position = pos;
        if (len < HEADER_LENGTH) {
            return damaged("excerpt of " + len + " bytes is shorter than a record header");
        }
        BytesStore<?, ?> store = bytes.bytesStore();
        if (!(store instanceof MappedBytesStore mapped) || !mapped.inside(pos, len)) {
            return damaged("excerpt of " + len + " bytes does not lie within one mapping");
        }
        long address = bytes.addressForRead(pos);
        view.wrap(address, (int) len);
        int stored = view.getInt(CRC_OFFSET, ByteOrder.LITTLE_ENDIAN);
        int actual = crc.checksum(address + CRC_COVERED_FROM, (int) len - CRC_COVERED_FROM);
        if (stored != actual) {
            return damaged("checksum mismatch (stored 0x" + Integer.toHexString(stored) + ", computed 0x"
                    + Integer.toHexString(actual) + ") in an excerpt of " + len + " bytes");
        }
        byte version = view.getByte(VERSION_OFFSET);
        if (version != VERSION) {
            return damaged("unknown record version " + version);
        }
        int keyLength = view.getInt(KEY_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
        int rowLength = view.getInt(ROW_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (keyLength < 0 || rowLength < 0 || (long) HEADER_LENGTH + keyLength + rowLength != len) {
            return damaged("key length " + keyLength + " and row length " + rowLength + " do not fill an excerpt of " + len + " bytes");
        }
        long seq = view.getLong(SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if ((view.getByte(FLAGS_OFFSET) & FLAG_VOID) != 0) {
            voidSeq = seq;
            return VOID;
        }
        byte kind = view.getByte(KIND_OFFSET);
        if (!RowKind.isValid(kind)) {
            return damaged("row kind byte " + kind + " is not a RowKind");
        }
        into.wrap(seq, RowKind.fromValue(kind), address + HEADER_LENGTH, keyLength,
                address + HEADER_LENGTH + keyLength, rowLength, queueIndex);
        return OK;
    }

    private int damaged(String what) {
        damage = what;
        return DAMAGED;
    }

    /** Returns what was wrong with the last DAMAGED excerpt. */
    String damage() {
        return damage;
    }

    /** Returns the file offset of the last excerpt decoded. */
    long position() {
        return position;
    }

    /** Returns the seq stored in the last VOID record (the last valid seq before it, or -1). */
    long voidSeq() {
        return voidSeq;
    }
}
