package io.floe.sst;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A growable off-heap region whose block can be handed to a new owner ({@link #detach()}), so that
 * decoded column data can be exported to Arrow without a copy.
 *
 * <p>Memory: blocks come from the given allocator under the given purpose; the region frees its
 * current block in {@link #close()}, or the owner of a {@link #detach() detached} block frees it.
 * {@link #buffer()} is the same object for the region's life, re-wrapped on growth: views are valid
 * until the next {@link #ensure}, {@link #detach} or {@link #close}.
 *
 * <p>Threads: single owner.
 */
final class Region implements AutoCloseable {
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private final OffHeapAllocator allocator;
    private final MemoryPurpose purpose;
    /** The first block's least size (a power of two); later blocks at least double. */
    private final int initialBytes;
    private final UnsafeBuffer view = new UnsafeBuffer(EMPTY);
    private OffHeapBlock block;
    /** A duplicate of the block's ByteBuffer for channel I/O, made on first use per block (null until then). */
    private ByteBuffer io;

    Region(OffHeapAllocator allocator, MemoryPurpose purpose) {
        this(allocator, purpose, MIN_BYTES);
    }

    /**
     * A region whose first block holds at least {@code initialBytes} (rounded up to a power of two,
     * at least {@link #MIN_BYTES} and at most {@link #MAX_INITIAL_BYTES}; see
     * {@link #firstBlockBytes}): a user that knows it will need that much skips the small blocks it
     * would otherwise grow through, each an allocation and a copy. Blocks are allocated on first
     * {@link #ensure}, not here.
     */
    Region(OffHeapAllocator allocator, MemoryPurpose purpose, int initialBytes) {
        this.allocator = allocator;
        this.purpose = purpose;
        this.initialBytes = firstBlockBytes(initialBytes);
    }

    /** The least block size. */
    static final int MIN_BYTES = 64;
    /** The largest first block a size hint asks for (the largest power of two an int holds); later blocks still grow to what {@link #ensure} requires. */
    static final int MAX_INITIAL_BYTES = 1 << 30;

    /**
     * Returns the least first-block size for a hint of {@code initialBytes}: the hint rounded up to
     * a power of two, clamped to {@code [MIN_BYTES, MAX_INITIAL_BYTES]} (clamped before rounding,
     * so that a hint above 2^30 does not shift into the sign bit).
     */
    static int firstBlockBytes(int initialBytes) {
        if (initialBytes <= MIN_BYTES) {
            return MIN_BYTES;
        }
        if (initialBytes >= MAX_INITIAL_BYTES) {
            return MAX_INITIAL_BYTES;
        }
        return Integer.highestOneBit(initialBytes - 1) << 1;
    }

    UnsafeBuffer buffer() {
        return view;
    }

    int capacity() {
        return view.capacity();
    }

    /**
     * Makes the region hold at least {@code required} bytes, keeping the first {@code keep}.
     * Throws {@link IllegalArgumentException} if {@code required} exceeds {@link Integer#MAX_VALUE} - 8.
     */
    void ensure(long required, int keep) {
        // The check alone, small enough to inline into every append; growing is rare.
        if (required > view.capacity()) {
            grow(required, keep);
        }
    }

    private void grow(long required, int keep) {
        if (required > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("region of " + required + " bytes is too large");
        }
        // Geometric: at least double, so that n appends cost O(n) copying; from the initial size,
        // so that the block sizes a writer grows through repeat file after file (the allocator
        // reuses freed blocks of a size it handed out before).
        long next = Math.max(Math.max(required, initialBytes), Math.min(2L * view.capacity(), Integer.MAX_VALUE - 8));
        OffHeapBlock grown = allocator.allocate(purpose, (int) next);
        if (block != null) {
            grown.buffer().putBytes(0, view, 0, Math.min(keep, view.capacity()));
            block.close();
        }
        block = grown;
        io = null;
        view.wrap(grown.byteBuffer());
    }

    /**
     * Returns a ByteBuffer over the region's first {@code length} bytes (position 0, limit
     * {@code length}) for channel I/O: the same object until the region grows, so that a read
     * allocates nothing. Requires: {@code length <= capacity()} (after {@link #ensure}).
     */
    ByteBuffer ioBuffer(int length) {
        if (block == null) {
            grow(Math.max(length, 1), 0); // an empty read before any growth
        }
        if (io == null) {
            io = block.byteBuffer().duplicate();
        }
        io.limit(length).position(0);
        return io;
    }

    /** Returns the current block (or null if none was allocated) and forgets it; the caller frees it. */
    OffHeapBlock detach() {
        OffHeapBlock b = block;
        block = null;
        io = null;
        view.wrap(EMPTY);
        return b;
    }

    @Override
    public void close() {
        OffHeapBlock b = detach();
        if (b != null) {
            b.close();
        }
    }
}
