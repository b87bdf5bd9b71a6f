package io.floe.changelog;

import static io.floe.changelog.ChangelogRecordLayout.*;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.Wires;
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
 *   <li>With {@link UncommittedPolicy#ABORT}, every valid record with seq &gt; committed seq is
 *       rewritten in place as a VOID record that keeps its own seq (so the seq column stays
 *       non-decreasing for {@link SeqIndex}), and {@link Result#highestSeq()} reports the highest
 *       seq ever written, valid or voided: appends continue above it, a seq is never reused.
 *       Voiding is idempotent; a crash during it is repaired by the next open.
 * </ul>
 *
 * <p>Threads: runs on the thread opening the writer, before any tailer exists; and again, aborting
 * only, from {@link ChangelogWriter#abortUncommitted()} on the writer thread while tailers may read
 * (a read-uncommitted tailer that decodes a record while it is being voided retries, see
 * {@link ChangelogTailer}).
 */
final class Recovery {
    private Recovery() {
    }

    /**
     * The outcome: where the log ends. {@code lastSeq}/{@code lastIndex}: the last valid record;
     * {@code highestSeq}: the highest seq in any record, valid or void (appends must exceed it);
     * {@code aborted}: records voided by {@link UncommittedPolicy#ABORT}; {@code firstVoidedCycle}:
     * the oldest cycle rewritten (torn or aborted), or {@link Integer#MAX_VALUE}.
     */
    record Result(long lastSeq, long lastIndex, long highestSeq, long scanned, long voided, long aborted, long skipped,
                  boolean lostHeaders, int firstVoidedCycle) {
    }

    /**
     * Scans from the committed record to the end as described above; with {@code abort}, voids every
     * valid record above the committed seq. Requires: the writer's lock is held and no append runs.
     */
    static Result scan(ChangelogQueue cq, WatermarkState state, boolean abort) {
        RecordDecoder decoder = new RecordDecoder();
        ChangelogRecord record = new ChangelogRecord();
        boolean salvage = cq.options().recoveryMode() == RecoveryMode.SALVAGE;
        long committedIndex = state.committedIndex();
        long lastSeq = -1;
        long lastIndex = -1;
        int endCycle = Integer.MIN_VALUE;
        long endPosition = -1;
        long highestSeq = -1;
        int firstVoidedCycle = Integer.MAX_VALUE;
        long aborted = 0;
        long scanned = 0;
        long voided = 0;
        long skipped = 0;
        boolean cutting = false;
        try (ExcerptTailer tailer = cq.queue().createTailer()) {
            boolean atCommitted = committedIndex >= 0 && tailer.moveToIndex(committedIndex);
            if (atCommitted) {
                // The watermark vouches for the committed record even if it turns out damaged (SALVAGE).
                lastSeq = state.committedSeq() - 1;
                highestSeq = lastSeq;
            } else {
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
                    endCycle = tailer.cycle();
                    endPosition = bytes.readLimit();
                    if (cutting) {
                        voidInPlace(cq, tailer.cycle(), bytes, highestSeq);
                        firstVoidedCycle = Math.min(firstVoidedCycle, tailer.cycle());
                        voided++;
                        continue;
                    }
                    int status = decoder.decode(bytes, index, record);
                    String damage = status == RecordDecoder.DAMAGED ? decoder.damage() : null;
                    if (status == RecordDecoder.OK && record.seq() <= highestSeq
                            && !(index == committedIndex && record.seq() == state.committedSeq())) {
                        damage = "seq " + record.seq() + " does not follow the previous seq " + highestSeq;
                    }
                    if (damage == null) {
                        if (status == RecordDecoder.VOID) {
                            highestSeq = Math.max(highestSeq, decoder.voidSeq());
                        } else if (abort && record.seq() > state.committedSeq()) {
                            highestSeq = record.seq();
                            voidInPlace(cq, tailer.cycle(), bytes, highestSeq);
                            firstVoidedCycle = Math.min(firstVoidedCycle, tailer.cycle());
                            aborted++;
                        } else {
                            lastSeq = record.seq();
                            lastIndex = index;
                            highestSeq = Math.max(highestSeq, lastSeq);
                        }
                        continue;
                    }
                    if (index <= committedIndex) {
                        if (!salvage) {
                            throw new CorruptionException(cq.files().fileOf(tailer.cycle()).toString(), decoder.position(),
                                    damage + " in a committed record (queue index 0x" + Long.toHexString(index) + ")");
                        }
                        skipped++;
                        if (index == committedIndex) {
                            lastSeq = state.committedSeq();
                            lastIndex = index;
                            highestSeq = Math.max(highestSeq, lastSeq);
                        }
                        continue;
                    }
                    cutting = true;
                    voidInPlace(cq, tailer.cycle(), bytes, highestSeq);
                    firstVoidedCycle = Math.min(firstVoidedCycle, tailer.cycle());
                    voided++;
                }
            }
        }
        boolean lostHeaders = endCycle != Integer.MIN_VALUE && endTruncated(cq, endCycle, endPosition);
        return new Result(lastSeq, lastIndex, highestSeq, scanned, voided, aborted, skipped, lostHeaders, firstVoidedCycle);
    }

    /**
     * Handles excerpt headers lost from the end of the newest file (a machine crash lost pages, or
     * the file was cut short): Chronicle's recorded write position then lies beyond the last
     * readable excerpt, and appending there would leave a hole no reader passes. Ends the file
     * with Chronicle's end-of-data marker at the real end and starts the next cycle's file, so
     * that appends continue there and readers move on to it. Returns iff it did so.
     */
    private static boolean endTruncated(ChangelogQueue cq, int cycle, long endPosition) {
        SingleChronicleQueue queue = cq.queue();
        if (cycle != queue.lastCycle()) {
            return false;
        }
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null) {
            return false;
        }
        try {
            long headerPosition = (endPosition + 3) & ~3L;
            if (store.writePosition() < headerPosition) {
                return false;
            }
            MappedBytes bytes = store.bytes();
            try {
                if (bytes.readVolatileInt(headerPosition) != 0) {
                    return false;
                }
                bytes.writeOrderedInt(headerPosition, Wires.END_OF_DATA);
            } finally {
                bytes.releaseLast();
            }
        } finally {
            queue.closeStore(store);
        }
        SingleChronicleQueueStore next = queue.storeForCycle(cycle + 1, queue.epoch(), true, null);
        queue.closeStore(next);
        queue.refreshDirectoryListing();
        return true;
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
