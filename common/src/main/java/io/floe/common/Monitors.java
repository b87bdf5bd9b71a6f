package io.floe.common;

import java.util.function.BooleanSupplier;

/**
 * Waiting on an object's monitor until a condition holds, for closes that must not give up half
 * way: an interrupt does not end the wait; it is kept and restored on the thread when the wait ends.
 *
 * <p>Threads: stateless.
 */
public final class Monitors {
    private Monitors() {
    }

    /**
     * Waits on {@code monitor} until {@code done} is true. Requires: the caller holds
     * {@code monitor}, and whoever makes {@code done} true calls {@code notifyAll} on it.
     */
    public static void awaitUninterruptibly(Object monitor, BooleanSupplier done) {
        boolean interrupted = false;
        while (!done.getAsBoolean()) {
            try {
                monitor.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
