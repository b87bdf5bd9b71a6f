package io.floe.sst;

import io.floe.common.bytes.ByteCopies;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An append-only little-endian byte builder over an off-heap {@link Region}, for page bodies,
 * chunks, index blocks and the footer.
 *
 * <p>Memory: allocated from the given allocator and purpose, freed by {@link #close()}.
 * Threads: single owner.
 */
final class ByteSink implements AutoCloseable {
    private final Region region;
    private int position;

    ByteSink(OffHeapAllocator allocator, MemoryPurpose purpose) {
        this.region = new Region(allocator, purpose);
    }

    /** A sink whose first block holds at least {@code initialBytes} ({@link Region#Region(OffHeapAllocator, MemoryPurpose, int)}). */
    ByteSink(OffHeapAllocator allocator, MemoryPurpose purpose, int initialBytes) {
        this.region = new Region(allocator, purpose, initialBytes);
    }

    int position() {
        return position;
    }

    void clear() {
        position = 0;
    }

    /** Moves the end back to {@code position} (drops what was written after it). */
    void truncate(int newPosition) {
        position = newPosition;
    }

    UnsafeBuffer buffer() {
        return region.buffer();
    }

    /** The region under the sink (for its I/O view: {@link FileOutput#write(ByteSink)}). */
    Region region() {
        return region;
    }

    /** Makes room for {@code n} more bytes and returns where they start; the caller writes them. */
    int reserve(long n) {
        region.ensure(position + n, position);
        int at = position;
        position += (int) n;
        return at;
    }

    ByteSink putByte(int v) {
        int at = reserve(1);
        region.buffer().putByte(at, (byte) v);
        return this;
    }

    ByteSink putShort(int v) {
        int at = reserve(2);
        region.buffer().putShort(at, (short) v);
        return this;
    }

    ByteSink putInt(int v) {
        int at = reserve(4);
        region.buffer().putInt(at, v);
        return this;
    }

    ByteSink putLong(long v) {
        int at = reserve(8);
        region.buffer().putLong(at, v);
        return this;
    }

    ByteSink putBytes(DirectBuffer src, int offset, int length) {
        int at = reserve(length);
        ByteCopies.copy(src, offset, region.buffer(), at, length);
        return this;
    }

    ByteSink putBytes(byte[] src) {
        int at = reserve(src.length);
        region.buffer().putBytes(at, src);
        return this;
    }

    ByteSink putBytes(byte[] src, int offset, int length) {
        int at = reserve(length);
        region.buffer().putBytes(at, src, offset, length);
        return this;
    }

    /** Overwrites the int at {@code at} (already written). */
    void setInt(int at, int v) {
        region.buffer().putInt(at, v);
    }

    @Override
    public void close() {
        region.close();
    }
}
