package io.floe.memtable;

import io.floe.common.RowKind;
import org.agrona.DirectBuffer;

/**
 * One writer thread's handle for inserting into a {@link Memtable}: it holds the scratch arrays an
 * insert needs (the splice: the nodes before and after the new one at each level), so that
 * inserts allocate nothing and several writers can insert at once without sharing state.
 *
 * <p>Threads: single-owner; one thread at a time may call {@link #insert}. Any number of writers
 * of the same memtable (and its own {@link Memtable#insert}) may insert concurrently.
 *
 * <p>Memory: owns no off-heap memory; valid as long as the memtable accepts inserts.
 */
public final class MemtableWriter {
    private final Memtable memtable;
    private final int[] prev = new int[NodeLayout.MAX_HEIGHT];
    private final long[] next = new long[NodeLayout.MAX_HEIGHT];

    MemtableWriter(Memtable memtable) {
        this.memtable = memtable;
    }

    /** Inserts an entry; see {@link Memtable#insert} for the contract. */
    public InsertStatus insert(DirectBuffer key, int keyOffset, int keyLength, long seq, RowKind kind,
            DirectBuffer value, int valueOffset, int valueLength) {
        return memtable.insert(prev, next, key, keyOffset, keyLength, seq, kind, value, valueOffset, valueLength);
    }
}
