package io.floe.kernel.read;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * A k-way merge of {@link EntrySource}s into one stream ordered by key ascending, then sequence
 * number descending (newest first). Sources hold disjoint sequence numbers (each write has its own),
 * so the order is total. A binary min-heap of source indexes, compared first by a cached 8-byte key
 * prefix; a lone source is stepped without the heap. {@link #next()} allocates nothing.
 *
 * <p>Memory: owns its sources and closes them in {@link #close()}. The accessors return the current
 * source's buffers, valid until the next move. Threads: single owner.
 */
public final class MergingIterator implements EntrySource {
    private final EntrySource[] sources;
    /** heap[0, size) holds indexes of valid sources; heap[0] is the smallest. */
    private final int[] heap;
    /**
     * prefix[s] is the first 8 bytes of source s's current key, big-endian, zero-padded: comparing
     * two prefixes unsigned orders two keys unless the prefixes are equal. Kept current for every
     * source in the heap while it holds two or more (a lone source is never compared).
     */
    private final long[] prefix;
    private int size;

    /** Requires: every source is sorted as {@link EntrySource} says and its seqs are disjoint from the others'. */
    public MergingIterator(List<? extends EntrySource> sources) {
        this.sources = sources.toArray(new EntrySource[0]);
        this.heap = new int[this.sources.length];
        this.prefix = new long[this.sources.length];
    }

    @Override
    public void seekToFirst() {
        for (EntrySource s : sources) {
            s.seekToFirst();
        }
        rebuild();
    }

    @Override
    public void seek(DirectBuffer key, int offset, int length) {
        for (EntrySource s : sources) {
            s.seek(key, offset, length);
        }
        rebuild();
    }

    private void rebuild() {
        size = 0;
        for (int i = 0; i < sources.length; i++) {
            if (sources[i].valid()) {
                prefix[i] = prefixOf(sources[i]);
                heap[size++] = i;
            }
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    @Override
    public boolean valid() {
        return size > 0;
    }

    @Override
    public void next() {
        int s = heap[0];
        EntrySource top = sources[s];
        top.next();
        if (size == 1) {
            // A lone source needs no heap and no prefix: nothing is compared with it.
            if (!top.valid()) {
                size = 0;
            }
            return;
        }
        if (top.valid()) {
            prefix[s] = prefixOf(top);
        } else {
            heap[0] = heap[--size];
        }
        siftDown(0);
    }

    /** Returns the first 8 bytes of {@code s}'s current key as a big-endian long, zero-padded. Requires: {@code s.valid()}. */
    private static long prefixOf(EntrySource s) {
        return ByteComparisons.prefix8(s.keyBuffer(), s.keyOffset(), s.keyLength());
    }

    /** Returns iff source a's entry comes before source b's. Requires: both prefixes are current. */
    private boolean before(int a, int b) {
        long pa = prefix[a];
        long pb = prefix[b];
        if (pa != pb) {
            return Long.compareUnsigned(pa, pb) < 0;
        }
        EntrySource x = sources[a];
        EntrySource y = sources[b];
        int c = ByteComparisons.compare(x.keyBuffer(), x.keyOffset(), x.keyLength(), y.keyBuffer(), y.keyOffset(), y.keyLength());
        return c < 0 || c == 0 && x.seq() > y.seq();
    }

    private void siftDown(int i) {
        int item = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], item)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = item;
    }

    /** Returns the source of the current entry (its accessors give that entry). Requires: {@link #valid()}. */
    public EntrySource current() {
        return sources[heap[0]];
    }

    /**
     * Returns iff the current entry is certainly the only one of its key left in the merge: no other
     * source is at the same key and the current source's next entry has another key. False when
     * unsure. Requires: {@link #valid()}.
     */
    public boolean currentIsOnlyVersion() {
        EntrySource top = current();
        if (top.nextMayShareKey()) {
            return false;
        }
        // Every other source is at a key >= top's; one at top's key would be a child of the root.
        return (size < 2 || !sameKey(heap[0], heap[1])) && (size < 3 || !sameKey(heap[0], heap[2]));
    }

    /** Returns iff sources a and b are at the same key. Requires: both prefixes are current. */
    private boolean sameKey(int a, int b) {
        if (prefix[a] != prefix[b]) {
            return false;
        }
        EntrySource x = sources[a];
        EntrySource y = sources[b];
        return ByteComparisons.equal(x.keyBuffer(), x.keyOffset(), x.keyLength(), y.keyBuffer(), y.keyOffset(), y.keyLength());
    }

    @Override
    public DirectBuffer keyBuffer() {
        return current().keyBuffer();
    }

    @Override
    public int keyOffset() {
        return current().keyOffset();
    }

    @Override
    public int keyLength() {
        return current().keyLength();
    }

    @Override
    public long seq() {
        return current().seq();
    }

    @Override
    public RowKind kind() {
        return current().kind();
    }

    @Override
    public DirectBuffer rowBuffer() {
        return current().rowBuffer();
    }

    @Override
    public int rowOffset() {
        return current().rowOffset();
    }

    @Override
    public int rowLength() {
        return current().rowLength();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (EntrySource s : sources) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
