package io.floe.memtable;

import static io.floe.memtable.Arena.NIL;

import io.floe.common.RowKind;
import io.floe.common.error.ClosedException;
import org.agrona.DirectBuffer;

/**
 * A position in a memtable's sorted entries (key ascending, then seq descending), moved by seeks
 * and steps, with the entry under it shown as views. The two kinds: {@link MemtableIterator}
 * shows every version, {@link SnapshotIterator} only the newest version of each key visible to a
 * snapshot.
 *
 * <p>Memory: a cursor holds a reference to its memtable (taken by {@link Memtable#newIterator} or
 * {@link Memtable#newSnapshotIterator}, given back by {@link #close()}), so the arena stays
 * allocated while the cursor is open, even if the memtable's owner closes it meanwhile. The views
 * returned by {@link #key()}, {@link #value()} and {@link #entry()} point into the arena: valid
 * until the cursor moves or closes. Stepping allocates nothing; reuse one cursor for many seeks.
 *
 * <p>Threads: a cursor is single-threaded (one reader thread at a time). It never blocks and may
 * run while writers insert: it sees a sorted list, every entry whose insert returned before the
 * cursor last moved, and maybe some that are being inserted.
 */
public abstract sealed class MemtableCursor implements AutoCloseable permits MemtableIterator, SnapshotIterator {
    final Memtable memtable;
    final ArenaSkipList list;
    final Arena arena;
    private final EntryView entry = new EntryView();
    /** The current node's offset, nil iff not valid. */
    int node = NIL;
    private boolean closed;

    /** Requires: the caller has taken a reference to {@code memtable} for this cursor. */
    MemtableCursor(Memtable memtable, ArenaSkipList list) {
        this.memtable = memtable;
        this.list = list;
        this.arena = list.arena();
    }

    /** Returns iff the cursor stands on an entry. */
    public final boolean isValid() {
        return node != NIL;
    }

    /** Moves to the first entry (invalid iff there is none). Throws {@link ClosedException} if closed. */
    public abstract void seekToFirst();

    /** Moves to the last entry (invalid iff there is none). Throws {@link ClosedException} if closed. */
    public abstract void seekToLast();

    /**
     * Moves to the first entry whose key is at or after {@code key[offset, offset+length)} (invalid
     * iff there is none). Throws {@link ClosedException} if closed, {@link IndexOutOfBoundsException}
     * if the range lies outside {@code key}.
     */
    public abstract void seek(DirectBuffer key, int offset, int length);

    /** Moves to the next entry (invalid at the end). Throws {@link IllegalStateException} if not valid. */
    public abstract void next();

    /**
     * Moves to the previous entry (invalid before the first); a search from the top, O(log n).
     * Throws {@link IllegalStateException} if not valid.
     */
    public abstract void prev();

    /** Returns the current entry as a view. Throws {@link IllegalStateException} if not valid. */
    public final EntryView entry() {
        checkValid();
        return entry;
    }

    /** Returns a view of the current key. Throws {@link IllegalStateException} if not valid. */
    public final DirectBuffer key() {
        checkValid();
        return entry.key();
    }

    /** Returns the native address of the current key. Throws {@link IllegalStateException} if not valid. */
    public final long keyAddress() {
        checkValid();
        return entry.keyAddress();
    }

    /** Throws {@link IllegalStateException} if not valid. */
    public final int keyLength() {
        checkValid();
        return entry.keyLength();
    }

    /** Returns a view of the current value. Throws {@link IllegalStateException} if not valid. */
    public final DirectBuffer value() {
        checkValid();
        return entry.value();
    }

    /** Returns the native address of the current value. Throws {@link IllegalStateException} if not valid. */
    public final long valueAddress() {
        checkValid();
        return entry.valueAddress();
    }

    /** Throws {@link IllegalStateException} if not valid. */
    public final int valueLength() {
        checkValid();
        return entry.valueLength();
    }

    /** Throws {@link IllegalStateException} if not valid. */
    public final long seq() {
        checkValid();
        return entry.seq();
    }

    /** Throws {@link IllegalStateException} if not valid. */
    public final RowKind kind() {
        checkValid();
        return entry.kind();
    }

    /** Gives back the cursor's reference to the memtable; later calls have no effect. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            position(NIL);
            memtable.release();
        }
    }

    final void position(int n) {
        node = n;
        if (n == NIL) {
            entry.clear();
        } else {
            entry.wrap(arena.address(n));
        }
    }

    /** Returns the address of the current node. Requires: valid. */
    final long nodeAddress() {
        return entry.nodeAddress();
    }

    final void checkOpen() {
        if (closed) {
            throw new ClosedException("memtable iterator");
        }
    }

    final void checkValid() {
        if (node == NIL) {
            checkOpen();
            throw new IllegalStateException("memtable iterator is not positioned on an entry");
        }
    }
}
