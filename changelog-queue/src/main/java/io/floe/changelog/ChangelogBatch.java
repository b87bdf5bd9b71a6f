package io.floe.changelog;

import io.floe.common.RowKind;
import java.util.Arrays;
import org.agrona.DirectBuffer;

/**
 * A reusable list of records for {@link ChangelogWriter#appendBatch}: views (buffer, offset,
 * length) of the caller's keys and rows, not copies. The changelog validates the whole batch (seq
 * order, sizes) before it appends any of it. Growing allocates; a batch reused at a steady size
 * allocates nothing.
 *
 * <p>Memory: holds references to the caller's buffers until {@link #clear()}; the bytes must stay
 * unchanged until {@code appendBatch} returns.
 *
 * <p>Threads: single owner, the writer thread.
 */
public final class ChangelogBatch {
    long[] seqs;
    RowKind[] kinds;
    DirectBuffer[] keys;
    int[] keyOffsets;
    int[] keyLengths;
    DirectBuffer[] rows;
    int[] rowOffsets;
    int[] rowLengths;
    int size;

    /** Returns an empty batch with room for {@code capacity} records before it grows. Requires: capacity &gt; 0. */
    public ChangelogBatch(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, got " + capacity);
        }
        seqs = new long[capacity];
        kinds = new RowKind[capacity];
        keys = new DirectBuffer[capacity];
        keyOffsets = new int[capacity];
        keyLengths = new int[capacity];
        rows = new DirectBuffer[capacity];
        rowOffsets = new int[capacity];
        rowLengths = new int[capacity];
    }

    /** Adds one record view and returns this batch. Requires: non-null kind and buffers. */
    public ChangelogBatch add(long seq, RowKind kind, DirectBuffer key, int keyOffset, int keyLength,
                              DirectBuffer row, int rowOffset, int rowLength) {
        if (kind == null || key == null || row == null) {
            throw new NullPointerException("kind, key and row must not be null");
        }
        if (size == seqs.length) {
            grow();
        }
        seqs[size] = seq;
        kinds[size] = kind;
        keys[size] = key;
        keyOffsets[size] = keyOffset;
        keyLengths[size] = keyLength;
        rows[size] = row;
        rowOffsets[size] = rowOffset;
        rowLengths[size] = rowLength;
        size++;
        return this;
    }

    /** Returns the number of records. */
    public int size() {
        return size;
    }

    /** Empties the batch and drops its references to the caller's buffers. */
    public void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(rows, 0, size, null);
        Arrays.fill(kinds, 0, size, null);
        size = 0;
    }

    private void grow() {
        int capacity = seqs.length * 2;
        seqs = Arrays.copyOf(seqs, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
        keys = Arrays.copyOf(keys, capacity);
        keyOffsets = Arrays.copyOf(keyOffsets, capacity);
        keyLengths = Arrays.copyOf(keyLengths, capacity);
        rows = Arrays.copyOf(rows, capacity);
        rowOffsets = Arrays.copyOf(rowOffsets, capacity);
        rowLengths = Arrays.copyOf(rowLengths, capacity);
    }
}
