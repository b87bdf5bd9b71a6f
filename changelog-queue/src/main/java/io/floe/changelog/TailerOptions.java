package io.floe.changelog;

import io.floe.common.error.InvalidOptionException;

/**
 * Where a {@link ChangelogTailer} starts, what it may see, and how it waits. Immutable; start
 * from {@link #fromStart()}, {@link #fromEnd()} or {@link #fromSeq(long)}.
 *
 * @param start        where the tailer starts
 * @param seq          with {@link Start#SEQ}: the first record returned is the first with seq &gt;= this
 * @param isolation    which records the tailer may return
 * @param waitStrategy how {@link ChangelogTailer#poll(long)} waits
 * @param maxParkNanos with {@link WaitStrategy#PARK}: the longest single park
 */
public record TailerOptions(Start start, long seq, IsolationLevel isolation, WaitStrategy waitStrategy, long maxParkNanos) {

    /** Where a tailer starts. */
    public enum Start {
        /** At the first record still held (after any release). */
        START,
        /** After the last record appended when the tailer is created. */
        END,
        /** At the first record whose seq is at least {@link TailerOptions#seq()}. */
        SEQ
    }

    /** Throws {@link InvalidOptionException} if a field is null or out of range. */
    public TailerOptions {
        InvalidOptionException.check(start != null, "tailer.start", null, "START, END or SEQ");
        InvalidOptionException.check(start != Start.SEQ || seq >= 0, "tailer.seq", seq, ">= 0");
        InvalidOptionException.check(isolation != null, "tailer.isolation", null, "READ_UNCOMMITTED or READ_COMMITTED");
        InvalidOptionException.check(waitStrategy != null, "tailer.wait-strategy", null, "BUSY_SPIN, YIELD or PARK");
        InvalidOptionException.check(maxParkNanos >= 1_000 && maxParkNanos <= 1_000_000_000L,
                "tailer.max-park-nanos", maxParkNanos, "in [1000, 1000000000]");
    }

    /** Returns options that start at the first record held, read-uncommitted, parking up to 100 µs. */
    public static TailerOptions fromStart() {
        return new TailerOptions(Start.START, 0, IsolationLevel.READ_UNCOMMITTED, WaitStrategy.PARK, 100_000);
    }

    /** Returns options that start after the last record, read-uncommitted, parking up to 100 µs. */
    public static TailerOptions fromEnd() {
        return new TailerOptions(Start.END, 0, IsolationLevel.READ_UNCOMMITTED, WaitStrategy.PARK, 100_000);
    }

    /** Returns options that start at the first record with seq &gt;= {@code seq}; Requires: seq &gt;= 0. */
    public static TailerOptions fromSeq(long seq) {
        return new TailerOptions(Start.SEQ, seq, IsolationLevel.READ_UNCOMMITTED, WaitStrategy.PARK, 100_000);
    }

    public TailerOptions withIsolation(IsolationLevel value) {
        return new TailerOptions(start, seq, value, waitStrategy, maxParkNanos);
    }

    public TailerOptions withWaitStrategy(WaitStrategy value) {
        return new TailerOptions(start, seq, isolation, value, maxParkNanos);
    }

    public TailerOptions withMaxParkNanos(long value) {
        return new TailerOptions(start, seq, isolation, waitStrategy, value);
    }
}
