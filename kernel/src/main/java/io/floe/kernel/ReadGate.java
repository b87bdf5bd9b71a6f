package io.floe.kernel;

import io.floe.common.error.ClosedException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the memory a point read uses alive until the read ends: reads {@link #enter} and
 * {@link #exit} it, and a close first {@link #closeAndAwait closes} it, waiting for the reads under
 * way, before it frees anything. Without it a close on another thread during a read would free
 * memory the read still touches: a memtable's arena, an SST file's off-heap bloom filters. A read
 * freed under it would crash the JVM, not fail. Reads entering after the close fail with
 * {@link ClosedException}.
 *
 * <p>Correctness: {@code enter} increments, then reads {@code closed}; a close writes
 * {@code closed}, then reads the count. Both are volatile, so at least one of them sees the other's
 * write: a read that did not see the close is counted, and the close waits for it.
 *
 * <p>Threads: every method is safe from any thread.
 */
final class ReadGate {
    private final AtomicLong inFlight = new AtomicLong();
    private volatile boolean closed;

    /** Admits one read. Throws {@link ClosedException} with {@code what} if closed; otherwise the caller must {@link #exit()}. */
    void enter(String what) {
        inFlight.incrementAndGet();
        if (closed) {
            exit();
            throw new ClosedException(what);
        }
    }

    /** Ends a read admitted by {@link #enter}. */
    void exit() {
        inFlight.decrementAndGet();
    }

    /**
     * Admits no more reads and waits for those under way (point reads: microseconds). Requires: not
     * called from inside a read admitted here. Idempotent.
     */
    void closeAndAwait() {
        closed = true;
        while (inFlight.get() != 0) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
        }
    }
}
