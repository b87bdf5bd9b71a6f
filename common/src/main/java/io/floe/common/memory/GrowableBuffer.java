package io.floe.common.memory;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An off-heap scratch buffer that grows by doubling, for builders (rows, keys, pages) whose final
 * size is not known up front. Growth copies the old contents into a new block from the allocator
 * and frees the old one; {@link #buffer()} always returns the same {@link UnsafeBuffer} object,
 * re-wrapped over the current block.
 *
 * <p>Memory: allocated from the given allocator under the given purpose; freed by {@link #close()}.
 * Views taken from {@link #buffer()} are valid until the next growth or close.
 *
 * <p>Threads: single owner.
 */
public final class GrowableBuffer implements AutoCloseable {
    private final OffHeapAllocator allocator;
    private final MemoryPurpose purpose;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private OffHeapBlock block;

    /** Requires: {@code initialCapacity >= 1}. */
    public GrowableBuffer(OffHeapAllocator allocator, MemoryPurpose purpose, int initialCapacity) {
        this.allocator = allocator;
        this.purpose = purpose;
        this.block = allocator.allocate(purpose, Math.max(1, initialCapacity));
        view.wrap(block.byteBuffer());
    }

    /** Returns the buffer over the current block. */
    public UnsafeBuffer buffer() {
        return view;
    }

    public int capacity() {
        return view.capacity();
    }

    /**
     * Makes the buffer hold at least {@code required} bytes, keeping the first {@code keep} bytes.
     * Throws {@link IllegalArgumentException} if {@code required} is negative or above
     * {@link Integer#MAX_VALUE} - 8.
     */
    public void ensureCapacity(long required, int keep) {
        if (required <= view.capacity()) {
            return;
        }
        if (required < 0 || required > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("buffer of " + required + " bytes is too large (max " + (Integer.MAX_VALUE - 8) + ")");
        }
        long next = Math.max(required, Math.min((long) view.capacity() * 2, Integer.MAX_VALUE - 8));
        OffHeapBlock grown = allocator.allocate(purpose, (int) next);
        grown.buffer().putBytes(0, view, 0, Math.min(keep, view.capacity()));
        OffHeapBlock old = block;
        block = grown;
        view.wrap(grown.byteBuffer());
        old.close();
    }

    @Override
    public void close() {
        if (block != null) {
            OffHeapBlock b = block;
            block = null;
            view.wrap(0, 0);
            b.close();
        }
    }
}
