package io.floe.changelog;

import io.floe.common.error.CorruptionException;
import java.util.NavigableSet;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Maps a seq to a queue position without scanning the queue: the seq column is non-decreasing in
 * queue-index order (strictly increasing over valid records; void records repeat the seq before
 * them), so a binary search over queue indexes finds the first record with seq &gt;= a target.
 * Cycles are searched newest first by their first record (there are few files), then a binary
 * search runs inside the chosen cycle. Each probe is one Chronicle {@code moveToIndex} (an index
 * lookup plus at most one index-spacing of linear steps) and one record decode; a search costs
 * O(files + log2(records in the file)) probes. No sidecar file is kept.
 *
 * <p>Threads: single owner, the thread creating a tailer (under {@link TailerPins}' monitor).
 */
final class SeqIndex {
    private static final long DAMAGED = Long.MIN_VALUE;
    private static final long MISSING = Long.MAX_VALUE;

    private final SingleChronicleQueue queue;
    private final QueueFiles files;
    private final RecoveryMode mode;
    private final RecordDecoder decoder = new RecordDecoder();
    private final ChangelogRecord scratch = new ChangelogRecord();

    SeqIndex(SingleChronicleQueue queue, QueueFiles files, RecoveryMode mode) {
        this.queue = queue;
        this.files = files;
        this.mode = mode;
    }

    /**
     * Positions {@code tailer} so that its next read returns the first record with seq &gt;= target
     * (or waits at the end if there is none yet) and returns the cycle it is positioned in.
     * Throws {@link CorruptionException} if a probed record is damaged and the mode is STRICT.
     */
    int seek(ExcerptTailer tailer, long target) {
        RollCycle rollCycle = queue.rollCycle();
        int first = queue.firstCycle();
        int last = queue.lastCycle();
        if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE) {
            tailer.toStart();
            return first;
        }
        NavigableSet<Long> cycles = queue.listCyclesBetween(first, last);
        for (Long boxed : cycles.descendingSet()) {
            int cycle = boxed.intValue();
            long count = tailer.excerptsInCycle(cycle);
            if (count <= 0) {
                continue;
            }
            long firstSeq = probe(tailer, rollCycle.toIndex(cycle, 0), cycle);
            if (firstSeq != DAMAGED && firstSeq > target) {
                continue;
            }
            long position = firstSeq == DAMAGED ? linear(tailer, rollCycle, cycle, count, target)
                    : binary(tailer, rollCycle, cycle, count, target);
            if (position < count && tailer.moveToIndex(rollCycle.toIndex(cycle, position))) {
                return cycle;
            }
            // Every readable record of this cycle is below the target: start at the next cycle.
            Long next = cycles.higher(boxed);
            if (next == null) {
                tailer.toEnd();
                return cycle;
            }
            if (!tailer.moveToIndex(rollCycle.toIndex(next.intValue(), 0))) {
                tailer.toEnd(); // the next cycle holds nothing readable yet
            }
            return next.intValue();
        }
        tailer.toStart();
        return first;
    }

    /** Returns the first position in [0, count) whose seq is &gt;= target, or count. */
    private long binary(ExcerptTailer tailer, RollCycle rollCycle, int cycle, long count, long target) {
        long lo = 0;
        long hi = count;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            long seq = probe(tailer, rollCycle.toIndex(cycle, mid), cycle);
            if (seq == DAMAGED) {
                return linear(tailer, rollCycle, cycle, count, target);
            }
            if (seq < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** SALVAGE only: a forward scan that skips damaged records. */
    private long linear(ExcerptTailer tailer, RollCycle rollCycle, int cycle, long count, long target) {
        for (long position = 0; position < count; position++) {
            long seq = probe(tailer, rollCycle.toIndex(cycle, position), cycle);
            if (seq != DAMAGED && seq >= target) {
                return position;
            }
        }
        return count;
    }

    /**
     * Returns the seq of the record at {@code index} (a void record's repeated seq), DAMAGED
     * (SALVAGE only), or MISSING if Chronicle counts the index but holds no excerpt there: a
     * machine crash lost the record's bytes while its index entry survived (the record was never
     * synced, so never committed). MISSING sorts above every seq: the readable records end before it.
     */
    private long probe(ExcerptTailer tailer, long index, int cycle) {
        if (!tailer.moveToIndex(index)) {
            return MISSING;
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return MISSING;
            }
            int status = decoder.decode(dc.wire().bytes(), index, scratch);
            if (status == RecordDecoder.OK) {
                return scratch.seq();
            }
            if (status == RecordDecoder.VOID) {
                return decoder.voidSeq();
            }
            if (mode == RecoveryMode.SALVAGE) {
                return DAMAGED;
            }
            throw new CorruptionException(files.fileOf(cycle).toString(), decoder.position(),
                    decoder.damage() + " (queue index 0x" + Long.toHexString(index) + ")");
        }
    }
}
