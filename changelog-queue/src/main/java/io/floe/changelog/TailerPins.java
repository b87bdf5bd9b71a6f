package io.floe.changelog;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The roll cycles that live tailers of this process still need. Each tailer holds a {@link Pin}
 * on the cycle it is reading; {@link ChangelogWriter#releaseBelow(long)} never deletes a file at
 * or above the lowest pinned cycle. Creating a tailer (register, then position) and releasing
 * files both hold this object's monitor, so a release cannot delete a file a new tailer is about
 * to open.
 *
 * <p>Threads: safe from any thread. A pin's cycle is written by its tailer's thread with a release
 * store and read by the releasing thread with an acquire load.
 */
final class TailerPins {
    private final Set<Pin> pins = ConcurrentHashMap.newKeySet();

    /** One tailer's pin. Only the owning tailer moves it, and only forward. */
    static final class Pin {
        private static final VarHandle CYCLE;

        static {
            try {
                CYCLE = MethodHandles.lookup().findVarHandle(Pin.class, "cycle", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Accessed only through {@link #CYCLE}. */
        @SuppressWarnings("unused")
        private int cycle;

        private Pin(int cycle) {
            CYCLE.setRelease(this, cycle);
        }

        /** Moves the pin to {@code newCycle}; called by the owning tailer. */
        void moveTo(int newCycle) {
            CYCLE.setRelease(this, newCycle);
        }

        int cycle() {
            return (int) CYCLE.getAcquire(this);
        }
    }

    /** Returns a new pin on every cycle (the tailer moves it once positioned). Requires: holding this monitor. */
    Pin register() {
        Pin pin = new Pin(Integer.MIN_VALUE);
        pins.add(pin);
        return pin;
    }

    /** Removes {@code pin}; its tailer is closed. */
    void remove(Pin pin) {
        pins.remove(pin);
    }

    /** Returns the lowest pinned cycle, or {@link Integer#MAX_VALUE} if no tailer is live. */
    int lowestPinnedCycle() {
        int lowest = Integer.MAX_VALUE;
        for (Pin pin : pins) {
            lowest = Math.min(lowest, pin.cycle());
        }
        return lowest;
    }
}
