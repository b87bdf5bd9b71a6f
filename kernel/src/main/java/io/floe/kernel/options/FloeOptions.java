package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;
import java.util.function.LongSupplier;

/**
 * The options of one open {@code Floe} (a directory of tables), shared by its tables.
 *
 * @param backgroundThreads the threads that flush memtables and run compactions, 1 to 64
 * @param memoryLimitBytes  the most off-heap bytes all tables may hold at once (memtables, buffers),
 *                          at least 1 MiB; {@link Long#MAX_VALUE} for no limit
 * @param clockMillis       the wall clock in epoch millis that changelogs roll their files by and
 *                          that changelog retention is measured with (tests pass a manual clock)
 */
public record FloeOptions(int backgroundThreads, long memoryLimitBytes, LongSupplier clockMillis) {
    /** Throws {@link InvalidOptionException} if a value is out of range. */
    public FloeOptions {
        InvalidOptionException.check(clockMillis != null, "clock", null, "a millisecond clock");
        InvalidOptionException.check(backgroundThreads >= 1 && backgroundThreads <= 64, "background-threads", backgroundThreads,
                "an integer from 1 to 64");
        InvalidOptionException.check(memoryLimitBytes >= (1L << 20), "memory.limit", memoryLimitBytes, "at least 1048576 bytes (1 MiB)");
    }

    /** Options with the system clock. */
    public FloeOptions(int backgroundThreads, long memoryLimitBytes) {
        this(backgroundThreads, memoryLimitBytes, System::currentTimeMillis);
    }

    /** Returns two background threads, no memory limit and the system clock. */
    public static FloeOptions defaults() {
        return new FloeOptions(2, Long.MAX_VALUE);
    }

    public FloeOptions withClockMillis(LongSupplier clock) {
        return new FloeOptions(backgroundThreads, memoryLimitBytes, clock);
    }
}
