package io.floe.changelog;

import io.floe.common.error.FloeIOException;
import io.floe.common.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Releases (deletes) whole queue files whose records all lie below a seq, oldest first, never the
 * newest file, and never a file at or above the cycle a live tailer of this process is reading.
 *
 * <p>Order: the release point is published in the watermark (fsynced with
 * {@link SyncMode#FSYNC_ON_COMMIT}) before any file is deleted, so that a tailer in another
 * process that still needed a deleted file notices ({@link SeqReleasedException}) instead of
 * silently skipping records. Tailers of other processes do not pin files: one already reading a
 * deleted file keeps reading it (the mapping outlives the unlink); one that has not reached it
 * fails with {@link SeqReleasedException}.
 *
 * <p>Threads: runs under {@link TailerPins}' monitor, from any thread.
 */
final class Truncation {
    private static final long KEEP = Long.MAX_VALUE;
    private static final long EMPTY = Long.MIN_VALUE;

    private Truncation() {
    }

    /**
     * Releases the files whose records all have seq &lt; {@code seq} and whose roll cycle ended at or
     * before {@code endedByMillis} (epoch millis; {@link Long#MAX_VALUE}: any age), oldest first.
     */
    static ReleaseReport releaseBelow(ChangelogQueue cq, long seq, long endedByMillis, boolean fsync) {
        SingleChronicleQueue queue = cq.queue();
        Watermark watermark = cq.watermark();
        synchronized (cq.pins()) {
            int first = queue.firstCycle();
            int last = queue.lastCycle();
            long released = watermark.state().releasedSeq();
            if (first == Integer.MAX_VALUE || first >= last) {
                return new ReleaseReport(0, released, false);
            }
            NavigableSet<Long> cycles = queue.listCyclesBetween(first, last);
            int lowestPinned = cq.pins().lowestPinnedCycle();
            List<Integer> victims = new ArrayList<>();
            boolean keptForTailer = false;
            long newReleased = released;
            try (ExcerptTailer tailer = queue.createTailer()) {
                for (Long boxed : cycles) {
                    int cycle = boxed.intValue();
                    if (cycle >= last) {
                        break;
                    }
                    long lastSeqInCycle = lastSeqOf(tailer, queue.rollCycle(), cycle);
                    if (lastSeqInCycle != EMPTY && lastSeqInCycle >= seq) {
                        break;
                    }
                    if (cycleEndMillis(queue, cycle) > endedByMillis) {
                        break;
                    }
                    if (cycle >= lowestPinned) {
                        keptForTailer = true;
                        break;
                    }
                    victims.add(cycle);
                    newReleased = Math.max(newReleased, lastSeqInCycle);
                }
            }
            if (victims.isEmpty()) {
                return new ReleaseReport(0, released, keptForTailer);
            }
            if (newReleased != released) {
                synchronized (watermark) {
                    watermark.publish(watermark.state().withReleased(newReleased), fsync);
                }
            }
            for (int cycle : victims) {
                Path file = cq.files().fileOf(cycle);
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw FloeIOException.of("release changelog file", file, e);
                }
            }
            if (fsync) {
                DurableFiles.fsyncDirectory(cq.dir());
            }
            queue.refreshDirectoryListing();
            return new ReleaseReport(victims.size(), newReleased, keptForTailer);
        }
    }

    /** Returns the epoch millis at which {@code cycle} ends (its file takes no appends from then on). */
    private static long cycleEndMillis(SingleChronicleQueue queue, int cycle) {
        return queue.epoch() + (cycle + 1L) * queue.rollCycle().lengthInMillis();
    }

    /**
     * Returns the highest seq in {@code cycle} (a VOID record's repeated seq bounds the records
     * before it), EMPTY if it holds no records, KEEP if its last record is damaged (never release
     * what cannot be read).
     */
    private static long lastSeqOf(ExcerptTailer tailer, RollCycle rollCycle, int cycle) {
        long count = tailer.excerptsInCycle(cycle);
        if (count <= 0) {
            return EMPTY;
        }
        RecordDecoder decoder = new RecordDecoder();
        ChangelogRecord record = new ChangelogRecord();
        long index = rollCycle.toIndex(cycle, count - 1);
        if (!tailer.moveToIndex(index)) {
            return KEEP;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return KEEP;
            }
            int status = decoder.decode(dc.wire().bytes(), index, record);
            return status == RecordDecoder.OK ? record.seq() : status == RecordDecoder.VOID ? decoder.voidSeq() : KEEP;
        }
    }
}
