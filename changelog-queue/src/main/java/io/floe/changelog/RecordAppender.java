package io.floe.changelog;

import static io.floe.changelog.ChangelogRecordLayout.*;

import io.floe.common.RowKind;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wires;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes one record as one Chronicle excerpt, straight into the mapped queue file: the header,
 * the key and the row are stored in place and the CRC is computed over the stored bytes. The only
 * copy is the one into the queue. Allocates nothing.
 *
 * <p>Memory: writes into Chronicle's mapping of the current queue file, inside Chronicle's writing
 * document; touches nothing after the document closes.
 *
 * <p>Threads: single owner, the changelog's writer thread.
 */
final class RecordAppender {
    private final ExcerptAppender appender;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final NativeCrc32c crc = new NativeCrc32c();
    /** The queue bytes whose single-thread check was last turned off (they change when the queue rolls); identity only. */
    private Bytes<?> uncheckedBytes;

    RecordAppender(ExcerptAppender appender) {
        this.appender = appender;
    }

    /**
     * Appends one record and returns its queue index.
     *
     * <p>Requires: the caller checked seq order and that {@code 24 + keyLength + rowLength} is at
     * most the maximum record size (which is at most a quarter of the block size, Chronicle's
     * overlap, so the excerpt lies within one mapping). Throws {@link IndexOutOfBoundsException}
     * if a source range lies outside its buffer; nothing is appended then.
     */
    long append(long seq, RowKind kind, DirectBuffer key, int keyOffset, int keyLength,
                DirectBuffer row, int rowOffset, int rowLength) {
        key.boundsCheck(keyOffset, keyLength);
        row.boundsCheck(rowOffset, rowLength);
        int length = recordLength(keyLength, rowLength);
        try (DocumentContext dc = appender.writingDocument()) {
            boolean written = false;
            try {
                Bytes<?> bytes = dc.wire().bytes();
                if (bytes != uncheckedBytes) {
                    // As for the appender (see ChangelogWriter): once per queue file, not per append.
                    bytes.singleThreadedCheckDisabled(true);
                    uncheckedBytes = bytes;
                }
                long pos = bytes.writePosition();
                bytes.writeSkip(length);
                BytesStore<?, ?> store = bytes.bytesStore();
                if (!(store instanceof MappedBytesStore mapped) || !mapped.inside(pos, length)) {
                    throw new IllegalStateException("record of " + length + " bytes at " + pos + " does not lie within one mapping");
                }
                long address = bytes.addressForWrite(pos);
                view.wrap(address, length);
                view.putByte(VERSION_OFFSET, VERSION);
                view.putByte(KIND_OFFSET, kind.value());
                view.putByte(FLAGS_OFFSET, (byte) 0);
                view.putByte(RESERVED_OFFSET, (byte) 0);
                view.putLong(SEQ_OFFSET, seq, ByteOrder.LITTLE_ENDIAN);
                view.putInt(KEY_LENGTH_OFFSET, keyLength, ByteOrder.LITTLE_ENDIAN);
                view.putInt(ROW_LENGTH_OFFSET, rowLength, ByteOrder.LITTLE_ENDIAN);
                view.putBytes(HEADER_LENGTH, key, keyOffset, keyLength);
                view.putBytes(HEADER_LENGTH + keyLength, row, rowOffset, rowLength);
                view.putInt(CRC_OFFSET, crc.checksum(address + CRC_COVERED_FROM, length - CRC_COVERED_FROM),
                        ByteOrder.LITTLE_ENDIAN);
                FaultPoints.point(FaultPoint.CHANGELOG_APPEND);
                written = true;
            } finally {
                if (!written) {
                    dc.rollbackOnClose();
                }
            }
        }
        return appender.lastIndexAppended();
    }

    /**
     * Returns the position in the current queue file just past everything written to it so far
     * (records and Chronicle's index); for the fault model of lost unsynced writes.
     */
    long writeEnd() {
        Bytes<?> bytes = appender.wire().bytes();
        // Chronicle leaves the write position at the last excerpt's header or just past it (it
        // varies): walk over complete excerpts (4-byte aligned headers) to the first empty header.
        long pos = bytes.writePosition();
        for (int header = bytes.readVolatileInt(pos); header != 0; header = bytes.readVolatileInt(pos)) {
            pos = (pos + 4 + Wires.lengthOf(header) + 3) & ~3L;
        }
        return pos;
    }

    /** Returns the roll cycle of the last append. */
    int cycle() {
        return appender.cycle();
    }
}
