package io.floe.memtable;

import static io.floe.memtable.Arena.NIL;

import io.floe.common.bytes.ByteComparisons;
import org.agrona.DirectBuffer;

/**
 * A cursor over the newest version of each key that a snapshot sees: for every key with a version
 * of {@code seq <= snapshotSeq}, exactly that newest version, keys ascending. Deletes are shown
 * (as {@link io.floe.common.RowKind#DELETE} entries): what a tombstone means is the caller's
 * business. This is what the read path merges. See {@link MemtableCursor} for memory and threads.
 *
 * <p>Cost: {@link #next()} walks level 0 over the versions it skips (older versions of the
 * current key, versions newer than the snapshot); {@link #prev()} and {@link #seekToLast()} search
 * from the top once or twice per key they pass.
 */
public final class SnapshotIterator extends MemtableCursor {
    private long snapshotSeq;

    /** Requires: the caller has taken a reference to {@code memtable} for this iterator. */
    SnapshotIterator(Memtable memtable, ArenaSkipList list, long snapshotSeq) {
        super(memtable, list);
        this.snapshotSeq = snapshotSeq;
    }

    public long snapshotSeq() {
        return snapshotSeq;
    }

    /** Changes the snapshot for the following seeks; the cursor becomes invalid until then. */
    public void snapshotSeq(long snapshotSeq) {
        checkOpen();
        this.snapshotSeq = snapshotSeq;
        position(NIL);
    }

    @Override
    public void seekToFirst() {
        checkOpen();
        position(settleForward(list.first()));
    }

    @Override
    public void seekToLast() {
        checkOpen();
        position(settleBackward(list.last()));
    }

    /** Moves to the visible version of the first visible key at or after {@code key}. */
    @Override
    public void seek(DirectBuffer key, int offset, int length) {
        checkOpen();
        key.boundsCheck(offset, length);
        position(settleForward(list.findGreaterOrEqual(key.byteArray(), key.addressOffset() + offset, length, snapshotSeq)));
    }

    @Override
    public void next() {
        checkValid();
        long current = nodeAddress();
        long keyAddress = NodeLayout.keyAddress(current);
        int keyLength = NodeLayout.keyLength(current);
        int n = list.next(node);
        while (n != NIL && sameKey(arena.address(n), keyAddress, keyLength)) {
            n = list.next(n);
        }
        position(settleForward(n));
    }

    @Override
    public void prev() {
        checkValid();
        long current = nodeAddress();
        position(settleBackward(list.findLessThan(null, NodeLayout.keyAddress(current), NodeLayout.keyLength(current),
                Long.MAX_VALUE)));
    }

    /**
     * Returns the first node at or after {@code n} with {@code seq <= snapshotSeq}, or nil.
     * Requires: {@code n} is nil or the first node at or after some {@code (key, snapshotSeq)}
     * (every earlier version of its key is newer than the snapshot), so the node returned is the
     * newest visible version of its key.
     */
    private int settleForward(int n) {
        while (n != NIL && NodeLayout.seq(arena.address(n)) > snapshotSeq) {
            n = list.next(n);
        }
        return n;
    }

    /**
     * Returns the newest visible version of the last key at or before {@code n}'s key that has one,
     * or nil. Requires: {@code n} is nil or the oldest version of its key.
     */
    private int settleBackward(int n) {
        while (n != NIL) {
            long address = arena.address(n);
            long keyAddress = NodeLayout.keyAddress(address);
            int keyLength = NodeLayout.keyLength(address);
            if (NodeLayout.seq(address) <= snapshotSeq) {
                // The oldest version is visible, so the first node at or after (key, snapshot) is
                // a version of this key: the newest visible one.
                return list.findGreaterOrEqual(null, keyAddress, keyLength, snapshotSeq);
            }
            n = list.findLessThan(null, keyAddress, keyLength, Long.MAX_VALUE);
        }
        return NIL;
    }

    private static boolean sameKey(long node, long keyAddress, int keyLength) {
        return NodeLayout.keyLength(node) == keyLength
                && ByteComparisons.compareUnchecked(null, NodeLayout.keyAddress(node), keyLength, null, keyAddress, keyLength) == 0;
    }
}
