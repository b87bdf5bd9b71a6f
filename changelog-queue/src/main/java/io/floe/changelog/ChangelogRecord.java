package io.floe.changelog;

import io.floe.common.RowKind;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A flyweight view of one record read by a {@link ChangelogTailer}: no bytes are copied; the key
 * and row are views straight into the memory-mapped queue file.
 *
 * <p>Memory: the views point into Chronicle's mapping of the queue file, which the tailer keeps
 * mapped. They are valid until the next call on the tailer that returned this record (poll, read,
 * close); copy what must outlive that. Never write through them.
 *
 * <p>Threads: owned by the tailer's thread.
 */
public final class ChangelogRecord {
    private final UnsafeBuffer key = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer row = new UnsafeBuffer(0, 0);
    private long seq;
    private RowKind kind;
    private long queueIndex;

    void wrap(long seq, RowKind kind, long keyAddress, int keyLength, long rowAddress, int rowLength, long queueIndex) {
        this.seq = seq;
        this.kind = kind;
        this.queueIndex = queueIndex;
        key.wrap(keyAddress, keyLength);
        row.wrap(rowAddress, rowLength);
    }

    /** Returns the record's sequence number. */
    public long seq() {
        return seq;
    }

    /** Returns the kind of change. */
    public RowKind kind() {
        return kind;
    }

    /** Returns the key bytes, {@code [0, key().capacity())}. */
    public DirectBuffer key() {
        return key;
    }

    /** Returns the row bytes, {@code [0, row().capacity())}. */
    public DirectBuffer row() {
        return row;
    }

    /** Returns the key length in bytes. */
    public int keyLength() {
        return key.capacity();
    }

    /** Returns the row length in bytes. */
    public int rowLength() {
        return row.capacity();
    }

    /** Returns the Chronicle Queue index of the excerpt that holds the record (for diagnostics). */
    public long queueIndex() {
        return queueIndex;
    }

    @Override
    public String toString() {
        return "ChangelogRecord{seq=" + seq + ", kind=" + (kind == null ? "?" : kind.shortString()) + ", key="
                + key.capacity() + "B, row=" + row.capacity() + "B, index=0x" + Long.toHexString(queueIndex) + "}";
    }
}
