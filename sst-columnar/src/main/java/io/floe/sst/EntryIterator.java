package io.floe.sst;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.error.CorruptionException;
import io.floe.common.row.RowReader;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every entry of one SST in file order (key ascending, then seq descending; all versions), for the
 * LSM merge path. LevelDB style:
 *
 * <pre>
 * try (EntryIterator it = reader.newIterator()) {
 *     for (it.seek(start, 0, startLength); it.valid(); it.next()) {
 *         it.keyBuffer(), it.keyOffset(), it.keyLength(), it.seq(), it.kind(), it.row() ...
 *     }
 * }
 * </pre>
 *
 * <p>{@link #seek} finds the page by the key index (each page's last key) and binary-searches its
 * key column. A page's columns are decoded when the iterator enters it; the row is assembled only
 * when {@link #row()} is asked for.
 *
 * <p>Projection: an iterator from {@link #projecting} reads and decodes only the chosen value
 * columns (besides key, seq and kind); its rows keep the file's layout with the other columns null,
 * whatever their nullability. An iterator from {@link SstReader#newIterator()} reads every column.
 *
 * <p>Memory: off-heap page vectors and a row buffer from the reader's allocator, freed by
 * {@link #close()}. The key view and row view are valid until the iterator moves.
 * Threads: single owner.
 */
public final class EntryIterator implements AutoCloseable {
    private final SstReader reader;
    private final ScanStats stats = new ScanStats();
    private final PageCursor cursor;
    private final RowAssembler assembler;
    private final RowReader rowView;
    /** Iff the iterator decodes only some value columns (then it cannot be copied from: {@link #valueColumns()}). */
    private final boolean projected;
    private boolean valid;
    private int index;
    private int rows;
    private int assembledIndex = -1;
    /** Iff the assembler is bound to the current page's value columns. */
    private boolean bound;
    /** The current page's value columns, once {@link #valueColumns()} loaded them ({@code valuesLoaded}). */
    private final ValueVector[] values;
    private boolean valuesLoaded;
    /** The {@link SstWriter} that last found this file's columns equal to its own ({@link SstWriter#addFrom}), or null. */
    SstWriter columnsCheckedBy;
    private ValueVector keys;
    /**
     * The key column's offsets of the current page: {@code rows + 1} ints (checked in
     * {@link #loadPage()}), read unchecked; the decoder makes them rise from 0 to the data length.
     */
    private Object keyOffsetsBase;
    private long keyOffsetsAddress;
    private ValueVector seqs;
    private ValueVector kinds;

    EntryIterator(SstReader reader) {
        this(reader, null);
    }

    private EntryIterator(SstReader reader, boolean[] decode) {
        this.reader = reader;
        this.projected = decode != null;
        this.assembler = new RowAssembler(reader.columns, reader.allocator, decode);
        this.cursor = new PageCursor(reader, stats);
        this.values = new ValueVector[reader.columns.length - SstLayout.FIRST_VALUE_COLUMN];
        this.rowView = new RowReader(reader.schema()).source(reader.file.name());
    }

    /**
     * Returns a new iterator over every entry of {@code reader} whose rows hold only the schema
     * columns {@code c} with {@code columns[c]} (the others null); with every flag set, or null, it
     * is {@link SstReader#newIterator()}. Close it before the reader. Throws
     * {@link IllegalArgumentException} if {@code columns} does not have one flag per schema column.
     */
    public static EntryIterator projecting(SstReader reader, boolean[] columns) {
        if (columns == null) {
            return new EntryIterator(reader, null);
        }
        int valueColumns = reader.columns.length - SstLayout.FIRST_VALUE_COLUMN;
        if (columns.length != valueColumns) {
            throw new IllegalArgumentException(columns.length + " projection flags for the " + valueColumns + " columns of "
                    + reader.file.name());
        }
        for (boolean c : columns) {
            if (!c) {
                return new EntryIterator(reader, columns.clone());
            }
        }
        return new EntryIterator(reader, null);
    }

    /** Positions at the first entry. */
    public void seekToFirst() {
        enterPage(0, 0, 0);
    }

    /** Positions at the first entry whose key is &gt;= {@code key[offset, offset + length)} (its newest version). */
    public void seek(DirectBuffer key, int offset, int length) {
        int g = reader.findRowGroup(key, offset, length);
        if (g >= reader.rowGroupCount()) {
            valid = false;
            return;
        }
        int p = reader.findPage(g, key, offset, length);
        cursor.moveTo(g, p);
        loadPage();
        index = PointLookup.lowerBound(keys, rows, key, offset, length);
        // The page's last key is >= key, so the lower bound lies within the page.
        valid = index < rows;
        if (!valid) {
            throw new CorruptionException(reader.file.name(), -1, "page " + p + " of row group " + g + " ends below its recorded last key");
        }
    }

    private void enterPage(int g, int p, int i) {
        cursor.moveTo(g, p);
        loadPage();
        index = i;
        valid = true;
    }

    private void loadPage() {
        rows = cursor.rows();
        keys = cursor.column(SstLayout.KEY_COLUMN);
        seqs = cursor.column(SstLayout.SEQ_COLUMN);
        kinds = cursor.column(SstLayout.KIND_COLUMN);
        UnsafeBuffer offsets = keys.values();
        if (keys.size() != rows || offsets.capacity() < (rows + 1) * 4L || keys.data().capacity() < keys.dataLength()) {
            throw new IllegalStateException("the key column holds " + keys.size() + " decoded values for a page of " + rows + " rows");
        }
        keyOffsetsBase = offsets.byteArray();
        keyOffsetsAddress = offsets.addressOffset();
        assembledIndex = -1;
        bound = false;
        valuesLoaded = false;
    }

    /** Returns iff the iterator is at an entry. */
    public boolean valid() {
        return valid;
    }

    /** Moves to the next entry. Requires: {@link #valid()}. */
    public void next() {
        if (!valid) {
            throw new IllegalStateException("iterator is not at an entry");
        }
        if (++index < rows) {
            return;
        }
        if (!cursor.advance()) {
            valid = false;
            index = rows - 1; // keeps the unchecked key loads within the last page's offsets
            return;
        }
        loadPage();
        index = 0;
    }

    /**
     * Returns false only if the next entry certainly has another key than the current one, or there
     * is none; true when unsure (the current entry ends its page).
     * Requires: {@link #valid()}.
     */
    public boolean nextMayShareKey() {
        int n = index + 1;
        if (n >= rows) {
            return true;
        }
        int from = keyOffset(index);
        int next = keyOffset(n);
        int length = next - from;
        if (keyOffset(n + 1) - next != length) {
            return false;
        }
        UnsafeBuffer data = keys.data();
        return ByteComparisons.compareUnchecked(data.byteArray(), data.addressOffset() + from, length, data.byteArray(),
                data.addressOffset() + next, length) == 0;
    }

    /** Returns where page row {@code i}'s key starts (row {@code rows}: the data's end). Requires: {@code 0 <= i <= rows}. */
    private int keyOffset(int i) {
        return UnsafeApi.getInt(keyOffsetsBase, keyOffsetsAddress + ((long) i << 2));
    }

    /** The physical columns of the iterator's file, for {@link SstWriter#addFrom}. */
    FileColumn[] columns() {
        return reader.columns;
    }

    /**
     * Returns the decoded value columns of the current page (schema column {@code i} at {@code i}),
     * decoding them on the first call per page: what {@link SstWriter#addFrom} copies from.
     * Valid until the iterator leaves the page. Throws {@link IllegalStateException} if the
     * iterator is projecting (its rows are not the file's).
     */
    ValueVector[] valueColumns() {
        if (!valuesLoaded) {
            if (projected) {
                throw new IllegalStateException("a projecting iterator of " + reader.file.name() + " cannot be copied from");
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = cursor.column(SstLayout.FIRST_VALUE_COLUMN + i);
            }
            valuesLoaded = true;
        }
        return values;
    }

    /** The current entry's row in its page, for {@link SstWriter#addFrom}. */
    int index() {
        return index;
    }

    /** Returns the buffer holding the current key (at {@link #keyOffset()}, {@link #keyLength()} bytes). */
    public UnsafeBuffer keyBuffer() {
        return keys.data();
    }

    public int keyOffset() {
        return keyOffset(index);
    }

    public int keyLength() {
        // index < rows in every state after a seek, so both loads stay within the offsets.
        return keyOffset(index + 1) - keyOffset(index);
    }

    /** Returns a copy of the current key (for tests and tools). */
    public byte[] key() {
        byte[] out = new byte[keyLength()];
        keys.data().getBytes(keyOffset(), out);
        return out;
    }

    public long seq() {
        return seqs.getLong(index);
    }

    /** Throws {@link CorruptionException} if the stored kind is not a {@link RowKind}. */
    public RowKind kind() {
        long k = kinds.getLong(index);
        if (k < 0 || k > 3) {
            throw new CorruptionException(reader.file.name(), -1, "row kind " + k + " in row group " + cursor.group() + " page " + cursor.page());
        }
        return RowKind.fromValue((byte) k);
    }

    /** Returns a view of the current row (assembled on first call per entry); valid until the iterator moves. */
    public RowReader row() {
        if (assembledIndex != index) {
            if (!bound) {
                assembler.bind(cursor);
                bound = true;
            }
            assembler.assembleBound(index);
            rowView.wrap(assembler.buffer(), 0, assembler.length());
            assembledIndex = index;
        }
        return rowView;
    }

    /** Returns this iterator's counters. */
    public ScanStats stats() {
        return stats;
    }

    @Override
    public void close() {
        cursor.close();
        assembler.close();
    }
}
