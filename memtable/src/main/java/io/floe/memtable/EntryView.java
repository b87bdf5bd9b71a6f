package io.floe.memtable;

import io.floe.common.RowKind;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A reusable flyweight over one memtable entry {@code (key, seq, kind, value)}: what
 * {@link Memtable#get} fills in and what a {@link MemtableCursor} stands on. Nothing is copied:
 * {@link #key()} and {@link #value()} are views of arena memory.
 *
 * <p>Memory: the view points into the memtable's arena; it is valid while the memtable is
 * referenced (see {@link Memtable}: the owner before {@code close()}, or a holder of
 * {@code retain()} before its {@code release()}). Reading it afterwards reads freed memory. The
 * two buffers returned by {@link #key()} and {@link #value()} belong to the view and are rewrapped
 * on each call: copy the bytes out to keep them.
 *
 * <p>Threads: a view is single-threaded (its owner's); the entry it shows never changes.
 */
public final class EntryView {
    private static final RowKind[] KINDS = RowKind.values();

    private final UnsafeBuffer keyBuffer = new UnsafeBuffer(0L, 0);
    private final UnsafeBuffer valueBuffer = new UnsafeBuffer(0L, 0);
    private long node;

    /** Creates an empty view; {@link Memtable#get} or a cursor points it at an entry. */
    public EntryView() {
    }

    /** Requires: {@code nodeAddress} is the address of a node of a live arena. */
    void wrap(long nodeAddress) {
        this.node = nodeAddress;
    }

    /** Returns the node address, 0 iff the view shows no entry. */
    long nodeAddress() {
        return node;
    }

    void clear() {
        node = 0L;
    }

    /** Returns a view of the key bytes (the buffer is this view's; rewrapped on each call). */
    public DirectBuffer key() {
        keyBuffer.wrap(keyAddress(), keyLength());
        return keyBuffer;
    }

    /** Returns the native address of the first key byte. */
    public long keyAddress() {
        return NodeLayout.keyAddress(node);
    }

    public int keyLength() {
        return NodeLayout.keyLength(node);
    }

    /** Returns a view of the value bytes (the buffer is this view's; rewrapped on each call). */
    public DirectBuffer value() {
        valueBuffer.wrap(valueAddress(), valueLength());
        return valueBuffer;
    }

    /** Returns the native address of the first value byte. */
    public long valueAddress() {
        return NodeLayout.valueAddress(node);
    }

    public int valueLength() {
        return NodeLayout.valueLength(node);
    }

    public long seq() {
        return NodeLayout.seq(node);
    }

    public RowKind kind() {
        return KINDS[NodeLayout.kind(node)];
    }

    /** Returns iff the entry is a tombstone ({@link RowKind#DELETE}). */
    public boolean isDelete() {
        return NodeLayout.kind(node) == RowKind.DELETE.value();
    }

    @Override
    public String toString() {
        return node == 0L ? "EntryView{empty}"
                : "EntryView{seq=" + seq() + ", " + kind().shortString() + ", key " + keyLength() + " bytes, value "
                        + valueLength() + " bytes}";
    }
}
