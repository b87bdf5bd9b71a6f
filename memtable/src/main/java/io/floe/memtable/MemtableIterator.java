package io.floe.memtable;

import static io.floe.memtable.Arena.NIL;

import io.floe.common.bytes.ByteComparisons;
import org.agrona.DirectBuffer;

/**
 * A cursor over every version of every key: key ascending, then seq descending (newest first).
 * This is what a flush writes. See {@link MemtableCursor} for memory and threads.
 */
public final class MemtableIterator extends MemtableCursor {
    /** Requires: the caller has taken a reference to {@code memtable} for this iterator. */
    MemtableIterator(Memtable memtable, ArenaSkipList list) {
        super(memtable, list);
    }

    @Override
    public void seekToFirst() {
        checkOpen();
        position(list.first());
    }

    @Override
    public void seekToLast() {
        checkOpen();
        position(list.last());
    }

    /** Moves to the newest version of the first key at or after {@code key}. */
    @Override
    public void seek(DirectBuffer key, int offset, int length) {
        seek(key, offset, length, Long.MAX_VALUE);
    }

    /**
     * Moves to the first entry at or after {@code (key, snapshotSeq)}: the newest version of
     * {@code key} with {@code seq <= snapshotSeq} if there is one, else the first entry of the next
     * key (whatever its seq). Throws as {@link #seek(DirectBuffer, int, int)}.
     */
    public void seek(DirectBuffer key, int offset, int length, long snapshotSeq) {
        checkOpen();
        key.boundsCheck(offset, length);
        position(list.findGreaterOrEqual(key.byteArray(), key.addressOffset() + offset, length, snapshotSeq));
    }

    @Override
    public void next() {
        checkValid();
        position(list.next(node));
    }

    /**
     * Returns iff the next entry holds the current entry's key (another, older version of it);
     * false at the last entry. Costs one key comparison, no move. Throws
     * {@link IllegalStateException} if not valid.
     */
    public boolean nextHasSameKey() {
        checkValid();
        int n = list.next(node);
        if (n == NIL) {
            return false;
        }
        long current = nodeAddress();
        long next = list.arena().address(n);
        int length = NodeLayout.keyLength(current);
        return NodeLayout.keyLength(next) == length
                && ByteComparisons.compareUnchecked(null, NodeLayout.keyAddress(current), length, null, NodeLayout.keyAddress(next), length) == 0;
    }

    @Override
    public void prev() {
        checkValid();
        long current = nodeAddress();
        position(list.findLessThan(null, NodeLayout.keyAddress(current), NodeLayout.keyLength(current),
                NodeLayout.seq(current)));
    }
}
