package io.floe.kernel.read;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** An {@link EntrySource} over an in-heap sorted list, for tests. */
final class ListSource implements EntrySource {
    record Entry(byte[] key, long seq, RowKind kind, byte[] row) {
    }

    private final List<Entry> entries;
    private final UnsafeBuffer key = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer row = new UnsafeBuffer(new byte[0]);
    private int at;
    boolean closed;

    ListSource(List<Entry> sortedEntries) {
        this.entries = sortedEntries;
        this.at = entries.size();
    }

    @Override
    public void seekToFirst() {
        at = 0;
        wrap();
    }

    @Override
    public void seek(DirectBuffer k, int offset, int length) {
        at = 0;
        while (at < entries.size() && ByteComparisons.compare(k, offset, length, entries.get(at).key()) > 0) {
            at++;
        }
        wrap();
    }

    private void wrap() {
        if (valid()) {
            key.wrap(entries.get(at).key());
            row.wrap(entries.get(at).row());
        }
    }

    @Override
    public boolean valid() {
        return at < entries.size();
    }

    @Override
    public void next() {
        at++;
        wrap();
    }

    /** Exact: false iff the next entry has another key or there is none. */
    @Override
    public boolean nextMayShareKey() {
        return at + 1 < entries.size() && java.util.Arrays.equals(entries.get(at).key(), entries.get(at + 1).key());
    }

    @Override
    public DirectBuffer keyBuffer() {
        return key;
    }

    @Override
    public int keyOffset() {
        return 0;
    }

    @Override
    public int keyLength() {
        return key.capacity();
    }

    @Override
    public long seq() {
        return entries.get(at).seq();
    }

    @Override
    public RowKind kind() {
        return entries.get(at).kind();
    }

    @Override
    public DirectBuffer rowBuffer() {
        return row;
    }

    @Override
    public int rowOffset() {
        return 0;
    }

    @Override
    public int rowLength() {
        return row.capacity();
    }

    @Override
    public void close() {
        closed = true;
    }
}
