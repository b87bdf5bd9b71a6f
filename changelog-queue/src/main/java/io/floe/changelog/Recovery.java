package io.floe.changelog;

import static io.floe.changelog.ChangelogRecordLayout.*;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Finds the last whole, valid record when a writer opens a changelog, and cuts off a torn tail.
 *
 * <p>The scan starts at the last committed record (its queue index is in the watermark; the whole
 * log if nothing was committed or that record's file was released) and reads to the end:
 * <ul>
 *   <li>An excerpt a dead writer left unfinished (kill -9 mid-append) is invisible to readers:
 *       Chronicle never returns it, and the next append ends that file and continues in a new one.
 *   <li>A damaged record at or below the committed index is corruption: STRICT throws
 *       {@link CorruptionException} naming file and offset, SALVAGE skips and counts it.
 *   <li>The first damaged record above the committed index (a machine crash tore the tail) and
 *       every excerpt after it are cut: rewritten in place as VOID records (see
 *       {@link ChangelogRecordLayout}), which every reader skips. Appends continue after them.
 *   <li>If the watermark points past the last valid record (possible only after a machine crash
 *       with {@link SyncMode#NONE}) it is lowered to it; with {@link SyncMode#FSYNC_ON_COMMIT} and
 *       STRICT that is corruption instead, because committed records were promised durable.
 * </ul>
 *
 * <p>Threads: runs once, on the thread opening the writer, before any tailer exists.
 */
final class Recovery {
    private Recovery() {
    }

    /** The outcome: where the log ends. */
    record Result(long lastSeq, long lastIndex, long scanned, long voided, long skipped) {
    }

    static Result scan(ChangelogQueue cq, WatermarkState state) {
        RecordDecoder decoder = new RecordDecoder();
        ChangelogRecord record = new ChangelogRecord();
        boolean salvage = cq.options().recoveryMode() == RecoveryMode.SALVAGE;
        long committedIndex = state.committedIndex();
        long lastSeq = -1;
        long lastIndex = -1;
        long scanned = 0;
        long voided = 0;
        long skipped = 0;
        boolean cutting = false;
        try (ExcerptTailer tailer = cq.queue().createTailer()) {
            if (committedIndex < 0 || !tailer.moveToIndex(committedIndex)) {
                tailer.toStart();
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    long index = dc.index();
                    scanned++;
                    Bytes<?> bytes = dc.wire().bytes();
                    if (cutting) {
                        voidInPlace(cq, tailer.cycle(), bytes, lastSeq);
                        voided++;
                        continue;
                    }
                    int status = decoder.decode(bytes, index, record);
                    String damage = status == RecordDecoder.DAMAGED ? decoder.damage() : null;
                    if (status == RecordDecoder.OK && record.seq() <= lastSeq) {
                        damage = "seq " + record.seq() + " does not follow the previous seq " + lastSeq;
                    }
                    if (damage == null) {
                        if (status == RecordDecoder.OK) {
                            lastSeq = record.seq();
                            lastIndex = index;
                        }
                        continue;
                    }
                    if (index <= committedIndex) {
                        if (!salvage) {
                            throw new CorruptionException(cq.files().fileOf(tailer.cycle()).toString(), decoder.position(),
                                    damage + " in a committed record (queue index 0x" + Long.toHexString(index) + ")");
                        }
                        skipped++;
                        continue;
                    }
                    cutting = true;
                    voidInPlace(cq, tailer.cycle(), bytes, lastSeq);
                    voided++;
                }
            }
        }
        return new Result(lastSeq, lastIndex, scanned, voided, skipped);
    }

    /**
     * Rewrites the excerpt at {@code bytes[readPosition, readLimit)} as a VOID record carrying
     * {@code seq}. Throws {@link CorruptionException} if the excerpt is too short to hold a
     * record header or does not lie within one mapping (Chronicle's own header is damaged).
     */
    private static void voidInPlace(ChangelogQueue cq, int cycle, Bytes<?> bytes, long seq) {
        long pos = bytes.readPosition();
        long len = bytes.readRemaining();
        BytesStore<?, ?> store = bytes.bytesStore();
        if (len < HEADER_LENGTH || !(store instanceof MappedBytesStore mapped) || !mapped.inside(pos, len)) {
            throw new CorruptionException(cq.files().fileOf(cycle).toString(), pos,
                    "torn excerpt of " + len + " bytes cannot be voided (queue excerpt header damaged)");
        }
        byte[] image = new byte[(int) len];
        ByteBuffer view = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        view.put(VERSION_OFFSET, VERSION).put(KIND_OFFSET, (byte) 0).put(FLAGS_OFFSET, FLAG_VOID)
                .putLong(SEQ_OFFSET, seq).putInt(KEY_LENGTH_OFFSET, 0).putInt(ROW_LENGTH_OFFSET, (int) len - HEADER_LENGTH);
        view.putInt(CRC_OFFSET, Checksums.crc32c(image, CRC_COVERED_FROM, image.length - CRC_COVERED_FROM));
        mapped.write(pos, image, 0, image.length);
    }
}
