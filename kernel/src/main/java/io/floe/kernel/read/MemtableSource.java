package io.floe.kernel.read;

import io.floe.common.RowKind;
import io.floe.memtable.Memtable;
import io.floe.memtable.MemtableIterator;
import org.agrona.DirectBuffer;

/**
 * Every version of every key of one memtable with {@code seq <= snapshotSeq}, as an
 * {@link EntrySource}. Versions newer than the snapshot are stepped over.
 *
 * <p>Memory: the cursor holds its own reference to the memtable until {@link #close()}; the
 * buffers are views of the memtable's arena. Threads: single owner.
 */
public final class MemtableSource implements EntrySource {
    private final MemtableIterator it;
    private final long snapshotSeq;

    /** Requires: the caller holds a reference to {@code memtable} during this call. */
    public MemtableSource(Memtable memtable, long snapshotSeq) {
        this.it = memtable.newIterator();
        this.snapshotSeq = snapshotSeq;
    }

    @Override
    public void seekToFirst() {
        it.seekToFirst();
        skipInvisible();
    }

    @Override
    public void seek(DirectBuffer key, int offset, int length) {
        it.seek(key, offset, length, snapshotSeq);
        skipInvisible();
    }

    private void skipInvisible() {
        while (it.isValid() && it.seq() > snapshotSeq) {
            it.next();
        }
    }

    @Override
    public boolean valid() {
        return it.isValid();
    }

    @Override
    public void next() {
        it.next();
        skipInvisible();
    }

    /**
     * Exact here: versions of a key run newest first, so the entries after a visible one of the same
     * key are older versions, visible too (only newer ones are stepped over).
     */
    @Override
    public boolean nextMayShareKey() {
        return it.nextHasSameKey();
    }

    @Override
    public DirectBuffer keyBuffer() {
        return it.key();
    }

    @Override
    public int keyOffset() {
        return 0;
    }

    @Override
    public int keyLength() {
        return it.keyLength();
    }

    @Override
    public long seq() {
        return it.seq();
    }

    @Override
    public RowKind kind() {
        return it.kind();
    }

    @Override
    public DirectBuffer rowBuffer() {
        return it.value();
    }

    @Override
    public int rowOffset() {
        return 0;
    }

    @Override
    public int rowLength() {
        return it.valueLength();
    }

    @Override
    public void close() {
        it.close();
    }
}
