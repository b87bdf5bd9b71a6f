package io.floe.sst;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.BinaryRowLayout;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds the binary row ({@link BinaryRowLayout}) of one entry from the decoded value columns of
 * its page: null bits, the 8-byte slots as stored, and the variable-length values copied into the
 * row's variable section in column order. Allocation-free once its buffer is large enough.
 *
 * <p>Memory: one off-heap region from the allocator ({@link MemoryPurpose#SST_READ}); the row is
 * valid until the next {@link #assemble} or {@link #close()}. Threads: single owner.
 */
final class RowAssembler implements AutoCloseable {
    private final FileColumn[] columns;
    private final int valueColumns;
    private final int fixedBytes;
    private final Region row;
    private int length;

    RowAssembler(FileColumn[] columns, OffHeapAllocator allocator) {
        this.columns = columns;
        this.valueColumns = columns.length - SstLayout.FIRST_VALUE_COLUMN;
        this.fixedBytes = BinaryRowLayout.fixedBytes(valueColumns);
        this.row = new Region(allocator, MemoryPurpose.SST_READ);
    }

    /** Builds the row of page row {@code i}; {@code cursor} decodes the value columns of the current page. */
    void assemble(PageCursor cursor, int i) {
        long size = fixedBytes;
        for (int c = 0; c < valueColumns; c++) {
            if (columns[SstLayout.FIRST_VALUE_COLUMN + c].variable()) {
                size += cursor.column(SstLayout.FIRST_VALUE_COLUMN + c).length(i);
            }
        }
        row.ensure(size, 0);
        UnsafeBuffer b = row.buffer();
        b.setMemory(0, BinaryRowLayout.bitmapBytes(valueColumns), (byte) 0);
        int end = fixedBytes;
        for (int c = 0; c < valueColumns; c++) {
            ValueVector v = cursor.column(SstLayout.FIRST_VALUE_COLUMN + c);
            int slot = BinaryRowLayout.slotOffset(valueColumns, c);
            if (v.isNull(i)) {
                int word = (c >>> 6) << 3;
                b.putLong(word, b.getLong(word) | (1L << (c & 63)));
                b.putLong(slot, 0L);
            } else if (v.isVariable()) {
                int len = v.length(i);
                b.putBytes(end, v.data(), v.offset(i), len);
                b.putLong(slot, BinaryRowLayout.varReference(end, len));
                end += len;
            } else {
                b.putLong(slot, v.getLong(i));
            }
        }
        length = end;
    }

    UnsafeBuffer buffer() {
        return row.buffer();
    }

    int length() {
        return length;
    }

    @Override
    public void close() {
        row.close();
    }
}
