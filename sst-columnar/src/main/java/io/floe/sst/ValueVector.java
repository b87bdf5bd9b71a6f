package io.floe.sst;

import io.floe.common.bytes.ByteCopies;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The values of one column for a run of rows, off-heap, in a layout Arrow shares:
 *
 * <ul>
 *   <li>fixed columns: one 8-byte little-endian value per row, exactly the binary row's slot value
 *       ({@link io.floe.common.row.BinaryRowLayout}): BIGINT is {@code BigIntVector}'s data buffer;</li>
 *   <li>variable columns: {@code size + 1} int offsets and the concatenated bytes (Arrow's
 *       {@code VarCharVector} / {@code VarBinaryVector} layout);</li>
 *   <li>validity: a bitmap, bit {@code i} set iff row {@code i} is not null (Arrow's layout); it is
 *       kept only while {@link #nullCount()} &gt; 0 ({@link #hasValidity()}).</li>
 * </ul>
 *
 * A null row's value is 0 (fixed) or empty (variable).
 *
 * <p>Memory: regions come from the allocator given at construction ({@link MemoryPurpose#SST_READ}
 * or {@code SST_WRITE}); {@link #close()} frees them. Arrow export may detach them
 * ({@link ArrowExport}); the vector then allocates afresh on its next use. Views returned by
 * {@link #values()}, {@link #data()} and {@link #validity()} are valid until the next
 * {@link #reset}, append or close.
 *
 * <p>Threads: single owner.
 */
public final class ValueVector implements AutoCloseable {
    private final boolean variable;
    final Region values;
    final Region data;
    final Region validity;
    private int size;
    private int dataLength;
    private int nullCount;

    ValueVector(boolean variable, OffHeapAllocator allocator, MemoryPurpose purpose) {
        this(variable, allocator, purpose, Region.MIN_BYTES);
    }

    /**
     * A vector whose values and data regions start at {@code initialBytes} or more (see
     * {@link Region#Region(OffHeapAllocator, MemoryPurpose, int)}): for a writer's page, which
     * fills to about the page size every time.
     */
    ValueVector(boolean variable, OffHeapAllocator allocator, MemoryPurpose purpose, int initialBytes) {
        this.variable = variable;
        this.values = new Region(allocator, purpose, initialBytes);
        this.data = variable ? new Region(allocator, purpose, initialBytes) : null;
        this.validity = new Region(allocator, purpose);
        reset();
    }

    /** Returns iff this vector holds variable-length values. */
    public boolean isVariable() {
        return variable;
    }

    /** Empties the vector, keeping its memory. */
    void reset() {
        size = 0;
        dataLength = 0;
        nullCount = 0;
        if (variable) {
            values.ensure(4, 0);
            values.buffer().putInt(0, 0);
        }
    }

    public int size() {
        return size;
    }

    public int nullCount() {
        return nullCount;
    }

    /** Returns iff a validity bitmap is kept (iff {@link #nullCount()} &gt; 0). */
    public boolean hasValidity() {
        return nullCount > 0;
    }

    public boolean isNull(int row) {
        return nullCount > 0 && (validity.buffer().getByte(row >>> 3) & (1 << (row & 7))) == 0;
    }

    /** Returns the 8-byte value of row {@code row} of a fixed column. */
    public long getLong(int row) {
        return values.buffer().getLong(row << 3);
    }

    /** Returns the start of row {@code row}'s bytes in {@link #data()}. */
    public int offset(int row) {
        return values.buffer().getInt(row << 2);
    }

    public int length(int row) {
        UnsafeBuffer b = values.buffer();
        return b.getInt((row + 1) << 2) - b.getInt(row << 2);
    }

    /** The fixed values, or the offsets of a variable column. */
    public UnsafeBuffer values() {
        return values.buffer();
    }

    public UnsafeBuffer data() {
        return data.buffer();
    }

    public UnsafeBuffer validity() {
        return validity.buffer();
    }

    /** Returns the off-heap bytes this vector's regions hold (their capacity, not their use). */
    long capacityBytes() {
        return (long) values.capacity() + (data == null ? 0 : data.capacity()) + validity.capacity();
    }

    /** Returns the bytes used in {@link #data()}. */
    public int dataLength() {
        return dataLength;
    }

    // ---- building (writer and decoder) ----

    void appendLong(long value) {
        values.ensure(((long) size + 1) << 3, size << 3);
        values.buffer().putLong(size << 3, value);
        markValid();
    }

    void appendBytes(DirectBuffer src, int offset, int length) {
        int at = reserveBytes(length);
        ByteCopies.copy(src, offset, data.buffer(), at, length);
    }

    /** Appends a value of {@code length} bytes and returns where to write them in {@link #data()}. */
    int reserveBytes(int length) {
        long end = (long) dataLength + length;
        if (end > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("column data of " + end + " bytes is too large");
        }
        data.ensure(end, dataLength);
        int at = dataLength;
        dataLength = (int) end;
        values.ensure(((long) size + 2) << 2, (size + 1) << 2);
        values.buffer().putInt((size + 1) << 2, dataLength);
        markValid();
        return at;
    }

    void appendNull() {
        if (nullCount == 0) {
            // Materialize the bitmap: every row so far is valid.
            validity.ensure(((long) size + 8) >>> 3, 0);
            validity.buffer().setMemory(0, (size + 7) >>> 3, (byte) 0xFF);
        }
        if (variable) {
            reserveBytes(0);
        } else {
            appendLong(0L);
        }
        nullCount++;
        int row = size - 1;
        int at = row >>> 3;
        validity.buffer().putByte(at, (byte) (validity.buffer().getByte(at) & ~(1 << (row & 7))));
    }

    private void markValid() {
        int row = size++;
        if (nullCount > 0) {
            validity.ensure(((long) row >>> 3) + 1, (row + 7) >>> 3);
            int at = row >>> 3;
            validity.buffer().putByte(at, (byte) (validity.buffer().getByte(at) | (1 << (row & 7))));
        }
    }

    /**
     * Sets the size and data length after a decoder wrote {@code rows} values directly into the
     * regions, with {@code nulls} of them null (validity already written if {@code nulls > 0}).
     */
    void setDecoded(int rows, int dataBytes, int nulls) {
        size = rows;
        dataLength = dataBytes;
        nullCount = nulls;
    }

    @Override
    public void close() {
        values.close();
        if (data != null) {
            data.close();
        }
        validity.close();
    }
}
