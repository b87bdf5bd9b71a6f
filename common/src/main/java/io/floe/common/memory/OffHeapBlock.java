package io.floe.common.memory;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One block of off-heap memory handed out by an {@link OffHeapAllocator}.
 *
 * <p>Memory: allocated by {@link OffHeapAllocator#allocate}, freed by {@link #close()} (which
 * returns it to the allocator that made it). After {@code close()} the address is invalid; the
 * owner must make sure no reader still holds {@link #buffer()} or {@link #address()}. The contents
 * start zeroed.
 *
 * <p>Threads: the block's memory may be shared by any threads under the ordering rules of whoever
 * owns it; {@code close()} is safe to call from any thread, at most once has effect (a second call
 * throws so that double frees are found, not hidden).
 */
public final class OffHeapBlock implements AutoCloseable {
    private final OffHeapAllocator allocator;
    private final MemoryPurpose purpose;
    private final ByteBuffer byteBuffer;
    private final UnsafeBuffer buffer;
    private final Throwable allocationSite;
    private volatile boolean freed;

    OffHeapBlock(OffHeapAllocator allocator, MemoryPurpose purpose, ByteBuffer byteBuffer, Throwable allocationSite) {
        this.allocator = allocator;
        this.purpose = purpose;
        this.byteBuffer = byteBuffer;
        this.buffer = new UnsafeBuffer(byteBuffer);
        this.allocationSite = allocationSite;
    }

    /** Returns a buffer over the whole block; do not use it after {@link #close()}. */
    public UnsafeBuffer buffer() {
        return buffer;
    }

    /**
     * Returns the direct {@link ByteBuffer} that backs the block (for APIs that take one, such as
     * {@code java.util.zip.CRC32C} or compressors). Its position and limit belong to the caller.
     */
    public ByteBuffer byteBuffer() {
        return byteBuffer;
    }

    /** Returns the native address of the block's first byte. */
    public long address() {
        return buffer.addressOffset();
    }

    /** Returns the size of the block in bytes. */
    public int capacity() {
        return buffer.capacity();
    }

    public MemoryPurpose purpose() {
        return purpose;
    }

    /** Returns iff the block has been freed. */
    public boolean isFreed() {
        return freed;
    }

    Throwable allocationSite() {
        return allocationSite;
    }

    boolean markFreed() {
        synchronized (this) {
            if (freed) {
                return false;
            }
            freed = true;
            return true;
        }
    }

    /** Frees the block. Throws {@link IllegalStateException} if it was already freed. */
    @Override
    public void close() {
        allocator.free(this);
    }

    @Override
    public String toString() {
        return "OffHeapBlock{" + purpose + ", " + capacity() + " bytes" + (freed ? ", freed" : "") + "}";
    }
}
