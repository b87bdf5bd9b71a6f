package io.floe.kernel.read;

import io.floe.common.RowKind;
import org.agrona.DirectBuffer;

/**
 * A sorted stream of entries {@code (key, seq, kind, row)}, ordered by key (unsigned bytes,
 * ascending) and, within a key, by sequence number descending: what a memtable cursor or an SST
 * iterator gives, adapted to one shape for {@link MergingIterator}.
 *
 * <p>Memory: the buffers returned by the accessors are owned by the source and valid until the
 * next {@link #next()}, seek or {@link #close()}. Threads: single owner.
 */
public interface EntrySource extends AutoCloseable {
    /** Positions at the first entry. */
    void seekToFirst();

    /** Positions at the first entry whose key is at or after {@code key[offset, offset+length)}. */
    void seek(DirectBuffer key, int offset, int length);

    /** Returns iff positioned at an entry. */
    boolean valid();

    /** Moves to the next entry. Requires: {@link #valid()}. */
    void next();

    /**
     * Returns false only if the next entry certainly has another key than the current one (or there
     * is none); true when the source cannot tell cheaply. Requires: {@link #valid()}.
     */
    default boolean nextMayShareKey() {
        return true;
    }

    DirectBuffer keyBuffer();

    int keyOffset();

    int keyLength();

    long seq();

    RowKind kind();

    /** Returns the buffer of the row; meaningful only for upserts. */
    DirectBuffer rowBuffer();

    int rowOffset();

    int rowLength();

    @Override
    void close();
}
