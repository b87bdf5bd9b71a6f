package io.floe.kernel.bucket;

import java.util.Arrays;

/**
 * The seqs that live snapshots of one bucket read at, with how many read at each: compactions keep
 * every version the oldest of them needs. Kept as sorted primitive arrays, so that registering and
 * releasing (once per snapshot and per point lookup) allocate nothing while the number of distinct
 * seqs stays within the arrays (they double when it does not; live snapshots are few).
 *
 * <p>Threads: any; every method holds this object's monitor (a leaf lock: nothing is called while
 * holding it).
 */
final class SnapshotRegistry {
    /** Guarded by this: distinct seqs, ascending, in [0, size). */
    private long[] seqs = new long[8];
    /** Guarded by this: how many snapshots read at seqs[i]; each at least 1. */
    private int[] counts = new int[8];
    /** Guarded by this. */
    private int size;

    /** Registers one snapshot at {@code seq}. */
    synchronized void register(long seq) {
        int i = Arrays.binarySearch(seqs, 0, size, seq);
        if (i >= 0) {
            counts[i]++;
            return;
        }
        int at = -i - 1;
        if (size == seqs.length) {
            seqs = Arrays.copyOf(seqs, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(seqs, at, seqs, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        seqs[at] = seq;
        counts[at] = 1;
        size++;
    }

    /** Forgets one snapshot at {@code seq}; does nothing if none is registered there. */
    synchronized void release(long seq) {
        int i = Arrays.binarySearch(seqs, 0, size, seq);
        if (i < 0) {
            return;
        }
        if (--counts[i] == 0) {
            System.arraycopy(seqs, i + 1, seqs, i, size - i - 1);
            System.arraycopy(counts, i + 1, counts, i, size - i - 1);
            size--;
        }
    }

    /** Returns the smallest seq a live snapshot reads at, or {@link Long#MAX_VALUE} if there is none. */
    synchronized long oldest() {
        return size == 0 ? Long.MAX_VALUE : seqs[0];
    }
}
