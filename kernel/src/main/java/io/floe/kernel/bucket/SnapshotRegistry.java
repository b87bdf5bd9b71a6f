package io.floe.kernel.bucket;

import java.util.TreeMap;

/**
 * The seqs that live snapshots of one bucket read at, with how many read at each: compactions keep
 * every version the oldest of them needs.
 *
 * <p>Threads: any; every method holds this object's monitor (a leaf lock: nothing is called while
 * holding it).
 */
final class SnapshotRegistry {
    /** Guarded by this. */
    private final TreeMap<Long, Integer> readers = new TreeMap<>();

    /** Registers one snapshot at {@code seq}. */
    synchronized void register(long seq) {
        readers.merge(seq, 1, Integer::sum);
    }

    /** Forgets one snapshot at {@code seq}; does nothing if none is registered there. */
    synchronized void release(long seq) {
        readers.computeIfPresent(seq, (k, n) -> n == 1 ? null : n - 1);
    }

    /** Returns the smallest seq a live snapshot reads at, or {@link Long#MAX_VALUE} if there is none. */
    synchronized long oldest() {
        return readers.isEmpty() ? Long.MAX_VALUE : readers.firstKey();
    }
}
