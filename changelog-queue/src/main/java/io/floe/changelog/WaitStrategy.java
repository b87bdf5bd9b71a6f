package io.floe.changelog;

/** How {@link ChangelogTailer#poll(long)} waits for the next record. */
public enum WaitStrategy {
    /** Spins on the CPU: lowest latency, burns a core while waiting. */
    BUSY_SPIN,
    /** Spins, calling {@link Thread#yield()} between checks. */
    YIELD,
    /** Spins briefly, then yields, then parks for growing intervals up to {@link TailerOptions#maxParkNanos()}. */
    PARK
}
