package io.floe.changelog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

/**
 * The clock the writer's queue rolls files by: the configured clock, but never earlier than a
 * floor. The writer raises the floor to the start of the newest queue file after recovery, so that
 * appends never go to an older file than one that exists: neither when the wall clock stepped
 * back, nor when Chronicle (after a writer died mid-append) or recovery (after excerpt headers
 * were lost) already moved the log on to a later file.
 *
 * <p>Threads: {@link #getAsLong()} from any thread (Chronicle's appender); {@link #raiseTo} from the
 * writer. The floor is published with a release store and read with an acquire load.
 */
final class FloorClock implements LongSupplier {
    private static final VarHandle FLOOR;

    static {
        try {
            FLOOR = MethodHandles.lookup().findVarHandle(FloorClock.class, "floorMillis", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LongSupplier clock;
    /** Accessed only through {@link #FLOOR}. */
    @SuppressWarnings("unused")
    private long floorMillis = Long.MIN_VALUE;

    FloorClock(LongSupplier clock) {
        this.clock = clock;
    }

    /** Raises the floor to {@code millis} if it is higher. */
    void raiseTo(long millis) {
        if (millis > (long) FLOOR.getAcquire(this)) {
            FLOOR.setRelease(this, millis);
        }
    }

    @Override
    public long getAsLong() {
        return Math.max(clock.getAsLong(), (long) FLOOR.getAcquire(this));
    }
}
