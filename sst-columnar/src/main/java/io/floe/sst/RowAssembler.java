package io.floe.sst;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.BinaryRowLayout;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds the binary row ({@link BinaryRowLayout}) of one entry from the decoded value columns of
 * its page: null bits, the 8-byte slots as stored, and the variable-length values copied into the
 * row's variable section in column order. Allocation-free once its buffer is large enough.
 *
 * <p>Use: {@link #bind(PageCursor)} once per page (it decodes the page's value columns and checks
 * their sizes), then {@link #assembleBound(int)} per row; or {@link #assemble(PageCursor, int)},
 * which does both. Rows are copied with unchecked memory accesses: {@link #bind} checks that every
 * vector holds the page's rows and its data, and the decoder guarantees variable offsets rise from
 * 0 to the data length, so a row index below the page's row count stays within every region.
 *
 * <p>Projection: an assembler made with a set of value columns decodes only those; the row keeps
 * the file's layout (every column has its bit and slot) with the other columns null (bit set, slot
 * zero), whatever their nullability.
 *
 * <p>Memory: one off-heap region from the allocator ({@link MemoryPurpose#SST_READ}); the row is
 * valid until the next {@link #assemble} or {@link #close()}. The bound addresses are valid until
 * the cursor's vectors are decoded again (the cursor moves), so bind again after every move.
 * Threads: single owner.
 */
final class RowAssembler implements AutoCloseable {
    private final FileColumn[] columns;
    private final int valueColumns;
    private final int bitmapBytes;
    private final int fixedBytes;
    private final boolean[] variable;
    /** The value columns decoded, ascending; every one when not projecting. */
    private final int[] read;
    /** The variable-length columns of {@link #read}, ascending. */
    private final int[] readVariable;
    /** The value columns not decoded (left null), ascending; empty when not projecting. */
    private final int[] skipped;
    /** The null bitmap's words before any decoded column's null bit: the skipped columns' bits set. */
    private final long[] bitmapTemplate;
    private final Region row;
    /** Per value column of the bound page: the fixed values or variable offsets, the variable data, the validity bitmap. */
    private final Object[] valueBase;
    private final long[] valueAddress;
    private final Object[] dataBase;
    private final long[] dataAddress;
    private final Object[] nullBase;
    /** The validity bitmap's address, or -1 when the column has no null in the page. */
    private final long[] nullAddress;
    private final boolean anyVariable;
    private int boundRows = -1;
    private int length;

    /** An assembler of every value column. */
    RowAssembler(FileColumn[] columns, OffHeapAllocator allocator) {
        this(columns, allocator, null);
    }

    /**
     * An assembler that decodes only the value columns {@code c} with {@code decode[c]} (schema
     * column order), every one if {@code decode} is null. Throws {@link IllegalArgumentException}
     * if {@code decode} does not have one entry per value column.
     */
    RowAssembler(FileColumn[] columns, OffHeapAllocator allocator, boolean[] decode) {
        this.columns = columns;
        this.valueColumns = columns.length - SstLayout.FIRST_VALUE_COLUMN;
        this.bitmapBytes = BinaryRowLayout.bitmapBytes(valueColumns);
        this.fixedBytes = BinaryRowLayout.fixedBytes(valueColumns);
        if (decode != null && decode.length != valueColumns) {
            throw new IllegalArgumentException(decode.length + " projection flags for " + valueColumns + " value columns");
        }
        this.row = new Region(allocator, MemoryPurpose.SST_READ);
        this.variable = new boolean[valueColumns];
        for (int c = 0; c < valueColumns; c++) {
            variable[c] = columns[SstLayout.FIRST_VALUE_COLUMN + c].variable();
        }
        int readCount = 0;
        int variableCount = 0;
        for (int c = 0; c < valueColumns; c++) {
            if (decode == null || decode[c]) {
                readCount++;
                variableCount += variable[c] ? 1 : 0;
            }
        }
        this.read = new int[readCount];
        this.readVariable = new int[variableCount];
        this.skipped = new int[valueColumns - readCount];
        this.bitmapTemplate = new long[bitmapBytes >>> 3];
        for (int c = 0, r = 0, v = 0, k = 0; c < valueColumns; c++) {
            if (decode == null || decode[c]) {
                read[r++] = c;
                if (variable[c]) {
                    readVariable[v++] = c;
                }
            } else {
                skipped[k++] = c;
                bitmapTemplate[c >>> 6] |= 1L << (c & 63);
            }
        }
        this.anyVariable = variableCount > 0;
        this.valueBase = new Object[valueColumns];
        this.valueAddress = new long[valueColumns];
        this.dataBase = new Object[valueColumns];
        this.dataAddress = new long[valueColumns];
        this.nullBase = new Object[valueColumns];
        this.nullAddress = new long[valueColumns];
    }

    /**
     * Decodes (unless decoded) the assembler's value columns of {@code cursor}'s current page and remembers where
     * they are. Throws {@link IllegalStateException} if a vector does not hold the page's rows (a
     * decoder bug: the decoder checks the file).
     */
    void bind(PageCursor cursor) {
        int rows = cursor.rows();
        for (int c : read) {
            ValueVector v = cursor.column(SstLayout.FIRST_VALUE_COLUMN + c);
            UnsafeBuffer values = v.values();
            long needed = variable[c] ? ((long) rows + 1) << 2 : (long) rows << 3;
            if (v.size() != rows || values.capacity() < needed || variable[c] && v.data().capacity() < v.dataLength()) {
                throw new IllegalStateException("column " + columns[SstLayout.FIRST_VALUE_COLUMN + c].name() + " holds " + v.size()
                        + " decoded values for a page of " + rows + " rows");
            }
            valueBase[c] = values.byteArray();
            valueAddress[c] = values.addressOffset();
            if (variable[c]) {
                UnsafeBuffer data = v.data();
                dataBase[c] = data.byteArray();
                dataAddress[c] = data.addressOffset();
            }
            if (v.hasValidity()) {
                UnsafeBuffer bits = v.validity();
                if (bits.capacity() < (rows + 7) >>> 3) {
                    throw new IllegalStateException("column " + columns[SstLayout.FIRST_VALUE_COLUMN + c].name() + " has a short validity bitmap");
                }
                nullBase[c] = bits.byteArray();
                nullAddress[c] = bits.addressOffset();
            } else {
                nullBase[c] = null;
                nullAddress[c] = -1;
            }
        }
        boundRows = rows;
    }

    /** Builds the row of page row {@code i}; {@code cursor} decodes the value columns of the current page. */
    void assemble(PageCursor cursor, int i) {
        bind(cursor);
        assembleBound(i);
    }

    /**
     * Builds the row of row {@code i} of the bound page.
     * Requires: {@link #bind} was called since the cursor last moved. Throws
     * {@link IndexOutOfBoundsException} if {@code i} is not a row of the bound page.
     */
    void assembleBound(int i) {
        if (i < 0 || i >= boundRows) {
            throw new IndexOutOfBoundsException("row " + i + " of a page of " + boundRows + " rows");
        }
        long size = fixedBytes;
        if (anyVariable) {
            for (int c : readVariable) {
                long at = valueAddress[c] + ((long) i << 2);
                size += UnsafeApi.getInt(valueBase[c], at + 4) - UnsafeApi.getInt(valueBase[c], at);
            }
        }
        row.ensure(size, 0);
        UnsafeBuffer b = row.buffer();
        // Unchecked writes below stay within [0, size), which the region now holds.
        Object rowBase = b.byteArray();
        long rowAddress = b.addressOffset();
        for (int w = 0; w < bitmapTemplate.length; w++) {
            UnsafeApi.putLong(rowBase, rowAddress + ((long) w << 3), bitmapTemplate[w]);
        }
        for (int c : skipped) {
            UnsafeApi.putLong(rowBase, rowAddress + bitmapBytes + ((long) c << 3), 0L);
        }
        int end = fixedBytes;
        for (int c : read) {
            long slot = rowAddress + bitmapBytes + ((long) c << 3);
            long nulls = nullAddress[c];
            if (nulls >= 0 && (UnsafeApi.getByte(nullBase[c], nulls + (i >>> 3)) & (1 << (i & 7))) == 0) {
                long word = rowAddress + ((c >>> 6) << 3);
                UnsafeApi.putLong(rowBase, word, UnsafeApi.getLong(rowBase, word) | (1L << (c & 63)));
                UnsafeApi.putLong(rowBase, slot, 0L);
            } else if (variable[c]) {
                long at = valueAddress[c] + ((long) i << 2);
                int from = UnsafeApi.getInt(valueBase[c], at);
                int len = UnsafeApi.getInt(valueBase[c], at + 4) - from;
                copy(dataBase[c], dataAddress[c] + from, rowBase, rowAddress + end, len);
                UnsafeApi.putLong(rowBase, slot, BinaryRowLayout.varReference(end, len));
                end += len;
            } else {
                UnsafeApi.putLong(rowBase, slot, UnsafeApi.getLong(valueBase[c], valueAddress[c] + ((long) i << 3)));
            }
        }
        length = end;
    }

    /** Copies {@code length} bytes: word by word when short (cheaper than a copyMemory call), else in one call. */
    private static void copy(Object srcBase, long src, Object dstBase, long dst, int length) {
        if (length > 128) {
            UnsafeApi.copyMemory(srcBase, src, dstBase, dst, length);
            return;
        }
        if (length < 8) {
            for (int i = 0; i < length; i++) {
                UnsafeApi.putByte(dstBase, dst + i, UnsafeApi.getByte(srcBase, src + i));
            }
            return;
        }
        for (int i = 0; i < length - 8; i += 8) {
            UnsafeApi.putLong(dstBase, dst + i, UnsafeApi.getLong(srcBase, src + i));
        }
        // The last word ends exactly at the value's end (it may overlap the one before).
        UnsafeApi.putLong(dstBase, dst + length - 8, UnsafeApi.getLong(srcBase, src + length - 8));
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
