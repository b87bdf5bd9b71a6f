package io.floe.changelog;

/**
 * The prepared but not yet committed points of one writer: the (seq, queue index) pairs that
 * {@link ChangelogWriter#prepare()} made durable, so that {@link ChangelogWriter#commit(long, long)}
 * finds the queue index of a prepared seq without a search. A bounded cache: when more than
 * {@value #CAPACITY} points wait, the oldest is forgotten and a commit of it searches the queue.
 * Also tracks the highest seq that may be committed ({@link #durableSeq()}).
 *
 * <p>Threads: the writer thread adds, any thread commits; every method holds this object's monitor.
 */
final class PreparedPoints {
    static final int CAPACITY = 64;

    /** Guarded by this: a ring of points in increasing seq order, oldest at {@code head}. */
    private final long[] seqs = new long[CAPACITY];
    private final long[] indexes = new long[CAPACITY];
    private int head;
    private int size;
    /** Guarded by this: the highest seq prepared by this writer or recovered at its open. */
    private long durableSeq;

    PreparedPoints(long recoveredSeq) {
        this.durableSeq = recoveredSeq;
    }

    /** Records that {@code seq} (at queue index {@code index}) is durable. Requires: seq &gt;= every earlier one. */
    synchronized void add(long seq, long index) {
        if (seq < 0) {
            return;
        }
        durableSeq = Math.max(durableSeq, seq);
        if (size > 0 && seqs[(head + size - 1) % CAPACITY] == seq) {
            return;
        }
        if (size == CAPACITY) {
            head = (head + 1) % CAPACITY;
            size--;
        }
        int slot = (head + size) % CAPACITY;
        seqs[slot] = seq;
        indexes[slot] = index;
        size++;
    }

    /** Returns the queue index of the prepared point {@code seq}, or -1 iff it is not cached. */
    synchronized long indexOf(long seq) {
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % CAPACITY;
            if (seqs[slot] == seq) {
                return indexes[slot];
            }
        }
        return -1;
    }

    /** Returns the highest seq that was made durable by a prepare (or recovered at open), or -1. */
    synchronized long durableSeq() {
        return durableSeq;
    }

    /** Forgets every point above {@code committedSeq} and lowers the durable seq to it (those records were voided). */
    synchronized void abortAbove(long committedSeq) {
        while (size > 0 && seqs[(head + size - 1) % CAPACITY] > committedSeq) {
            size--;
        }
        durableSeq = Math.min(durableSeq, committedSeq);
    }

    /** Forgets every point at or below {@code seq} (it is committed). */
    synchronized void committed(long seq) {
        while (size > 0 && seqs[head] <= seq) {
            head = (head + 1) % CAPACITY;
            size--;
        }
    }
}
