package io.floe.changelog;

import io.floe.common.error.ClosedException;
import io.floe.common.error.CorruptionException;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.MissingStoreFileException;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Reads a changelog in seq order, from a start position, at one isolation level; created by
 * {@link ChangelogWriter#newTailer} (same process as the writer) or {@link ChangelogReader#newTailer}
 * (any process on the host). Every record is checked (CRC, lengths, kind) before it is returned;
 * VOID records left by recovery are skipped; no record is returned twice or skipped.
 *
 * <p>Read-committed tailers return a record only once its seq is at or below the committed
 * watermark; the watermark is re-read (one acquire load of shared memory) only when a record
 * beyond the cached value is met, and the record stays unread until the watermark passes it.
 *
 * <p>Memory: records are flyweight views into Chronicle's mapping of the queue file; see
 * {@link ChangelogRecord}. Polling allocates nothing.
 *
 * <p>Threads: single owner. The thread that first reads owns it (creation may happen elsewhere);
 * {@link #close()} must be called from the owner too.
 */
public final class ChangelogTailer implements AutoCloseable {
    private final ChangelogQueue owner;
    private final ExcerptTailer tailer;
    private final TailerPins.Pin pin;
    private final boolean readCommitted;
    /** Records below this seq are consumed without being returned (a SEQ start before they were appended). */
    private final long startSeq;
    private final IdleStrategy idle;
    private final RecordDecoder decoder = new RecordDecoder();
    private final ChangelogRecord record = new ChangelogRecord();
    private long committedSeq = -1;
    private long lastReturnedSeq;
    private int cycle;
    private long skippedCorrupt;
    /** How often the record at the read position was read again after it decoded as damaged. */
    private int damagedRereads;
    private static final int DAMAGED_REREADS = 64;
    private boolean closed;

    ChangelogTailer(ChangelogQueue owner, ExcerptTailer tailer, TailerPins.Pin pin, int cycle, TailerOptions options,
                    long floorSeq) {
        this.owner = owner;
        this.tailer = tailer;
        this.pin = pin;
        this.cycle = cycle;
        this.readCommitted = options.isolation() == IsolationLevel.READ_COMMITTED;
        this.lastReturnedSeq = floorSeq;
        this.startSeq = options.start() == TailerOptions.Start.SEQ ? options.seq() : Long.MIN_VALUE;
        this.idle = switch (options.waitStrategy()) {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case YIELD -> new YieldingIdleStrategy();
            case PARK -> new BackoffIdleStrategy(100, 10, 1_000, options.maxParkNanos());
        };
    }

    /**
     * Returns the next record, or null iff none is available now (nothing appended yet, or, when
     * read-committed, nothing committed yet). Never blocks. The record is valid until the next
     * call on this tailer.
     *
     * <p>Throws {@link CorruptionException} naming file and offset if the next record is damaged
     * (STRICT mode; the tailer stays before it); {@link SeqReleasedException} if records this
     * tailer still needed were released by a writer in another process; {@link ClosedException}
     * if closed.
     */
    public ChangelogRecord poll() {
        if (closed) {
            throw new ClosedException("changelog tailer");
        }
        try {
            return next();
        } catch (MissingStoreFileException e) {
            throw new SeqReleasedException(owner.name(), "a tailer that had read up to seq " + lastReturnedSeq
                    + " needs a queue file that was deleted (" + e.getMessage() + ")", owner.watermark().releasedSeq());
        }
    }

    private ChangelogRecord next() {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                long index = dc.index();
                int status = decoder.decode(dc.wire().bytes(), index, record);
                if (status != RecordDecoder.DAMAGED) {
                    damagedRereads = 0;
                }
                if (status == RecordDecoder.VOID) {
                    continue;
                }
                if (status == RecordDecoder.DAMAGED) {
                    if (damagedRereads < DAMAGED_REREADS) {
                        // The writer may be voiding this very record (abortUncommitted rewrites it
                        // in place): read it again before calling it damaged.
                        damagedRereads++;
                        dc.rollbackOnClose();
                        Thread.onSpinWait();
                        continue;
                    }
                    damagedRereads = 0;
                    if (owner.options().recoveryMode() == RecoveryMode.SALVAGE) {
                        skippedCorrupt++;
                        continue;
                    }
                    dc.rollbackOnClose();
                    throw corruption(index, decoder.damage());
                }
                long seq = record.seq();
                if (seq < startSeq) {
                    continue;
                }
                if (readCommitted && seq > committedSeq) {
                    committedSeq = owner.watermark().committedSeq();
                    if (seq > committedSeq) {
                        dc.rollbackOnClose();
                        return null;
                    }
                }
                int recordCycle = tailer.cycle();
                if (recordCycle != cycle) {
                    onCycleChange(recordCycle, seq);
                }
                if (seq <= lastReturnedSeq) {
                    dc.rollbackOnClose();
                    throw corruption(index, "seq " + seq + " does not follow the previous seq " + lastReturnedSeq);
                }
                lastReturnedSeq = seq;
                return record;
            }
        }
    }

    /**
     * Returns the next record, waiting up to {@code timeoutNanos} with the configured
     * {@link WaitStrategy}; null iff none became available in time. Throws as {@link #poll()}.
     */
    public ChangelogRecord poll(long timeoutNanos) {
        ChangelogRecord next = poll();
        if (next != null || timeoutNanos <= 0) {
            return next;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        idle.reset();
        while (true) {
            next = poll();
            if (next != null) {
                return next;
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            idle.idle();
        }
    }

    /**
     * Hands up to {@code limit} available records to {@code handler}, in order, without blocking.
     * Returns the number handed over. Requires: limit &gt;= 0. Throws as {@link #poll()}.
     */
    public int read(RecordHandler handler, int limit) {
        int count = 0;
        while (count < limit) {
            ChangelogRecord next = poll();
            if (next == null) {
                break;
            }
            count++;
            handler.onRecord(next);
        }
        return count;
    }

    /** Returns the seq of the last record returned (or the floor the tailer started above). */
    public long lastReturnedSeq() {
        return lastReturnedSeq;
    }

    /** Returns the number of damaged records skipped (SALVAGE mode only; always 0 in STRICT). */
    public long skippedCorrupt() {
        return skippedCorrupt;
    }

    private void onCycleChange(int recordCycle, long seq) {
        long released = owner.watermark().releasedSeq();
        if (lastReturnedSeq < released && seq > released) {
            throw new SeqReleasedException(owner.name(), "a tailer that had read up to seq " + lastReturnedSeq
                    + " reached seq " + seq + " past released files", released);
        }
        cycle = recordCycle;
        pin.moveTo(recordCycle);
    }

    private CorruptionException corruption(long index, String what) {
        return new CorruptionException(owner.files().fileOf(tailer.cycle()).toString(), decoder.position(),
                what + " (queue index 0x" + Long.toHexString(index) + ")");
    }

    /** Releases the tailer's pin and Chronicle resources. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.tailerClosed(pin);
            tailer.close();
        }
    }
}
