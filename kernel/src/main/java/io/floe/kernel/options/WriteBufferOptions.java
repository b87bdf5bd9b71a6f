package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;

/**
 * The memtables of one bucket.
 *
 * @param memtableBytes         the off-heap bytes of one memtable; when it is full it turns
 *                              immutable and is flushed in the background while writes go to a
 *                              new one. 4 KiB (tests that flush constantly) to 1 GiB.
 * @param maxImmutableMemtables how many full memtables may wait for their flush before writes
 *                              stall (a metric counts stalls; writes are never rejected). 1 to 16.
 */
public record WriteBufferOptions(long memtableBytes, int maxImmutableMemtables) {
    public static final long MIN_MEMTABLE_BYTES = 4L << 10;
    public static final long MAX_MEMTABLE_BYTES = 1L << 30;
    public static final int MAX_IMMUTABLE_MEMTABLES = 16;

    /** Throws {@link InvalidOptionException} if a value is out of range. */
    public WriteBufferOptions {
        InvalidOptionException.check(memtableBytes >= MIN_MEMTABLE_BYTES && memtableBytes <= MAX_MEMTABLE_BYTES, "memtable.size",
                memtableBytes, "bytes from " + MIN_MEMTABLE_BYTES + " (4 KiB) to " + MAX_MEMTABLE_BYTES + " (1 GiB)");
        InvalidOptionException.check(maxImmutableMemtables >= 1 && maxImmutableMemtables <= MAX_IMMUTABLE_MEMTABLES, "memtable.max-immutable",
                maxImmutableMemtables, "an integer from 1 to " + MAX_IMMUTABLE_MEMTABLES);
    }

    /** Returns 64 MiB memtables, at most 2 waiting for their flush. */
    public static WriteBufferOptions defaults() {
        return new WriteBufferOptions(64L << 20, 2);
    }
}
