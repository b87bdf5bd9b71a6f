package io.floe.sst;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.BinaryRowLayout;
import io.floe.common.row.RowReader;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.schema.TypeRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * Writes one SST file ({@link SstLayout}) from a stream of entries sorted by key ascending, then
 * sequence number descending. Streaming: memory is bounded by one row group
 * ({@link SstOptions#rowGroupBytes()}) whatever the file's size.
 *
 * <pre>
 * try (SstWriter w = SstWriter.open(path, schema, options, allocator)) {
 *     for (each entry) w.add(key, keyOff, keyLen, seq, kind, row, rowOff, rowLen);
 *     SstMetadata meta = w.finish();
 * }
 * </pre>
 *
 * <p>Files: the data goes to {@code <path>.tmp}; {@link #finish()} forces it, renames it to
 * {@code path} and forces the directory. {@link #close()} without a successful finish deletes the
 * temporary file, so a failed write never leaves a file under the final name.
 *
 * <p>Memory: off-heap buffers from {@code allocator} ({@link MemoryPurpose#SST_WRITE},
 * {@link MemoryPurpose#COMPRESSION}), freed by {@link #close()}. {@link #add} copies what it needs
 * out of the key and row before it returns; the caller's buffers need not outlive the call.
 *
 * <p>Threads: single owner.
 */
public final class SstWriter implements AutoCloseable {
    private final Schema schema;
    private final FileColumn[] columns;
    private final Codec[] codecs;
    private final FileOutput out;
    private final RowGroupWriter group;
    private final RowReader row;
    private final ByteSink header;
    /** Per physical column: the statistics of the file's written row groups. */
    private final StatsAccumulator[] fileStats;
    private final List<RowGroupInfo> rowGroups = new ArrayList<>();
    private long rowCount;
    private long lastSeq;
    private long minSeq = Long.MAX_VALUE;
    private long maxSeq = Long.MIN_VALUE;
    private byte[] firstKey;
    /**
     * Iff an entry added had the key of the entry before it (entries are sorted, so iff some key
     * occurs twice): from the order check every add path makes ({@link #checkEntry}), which compares
     * with the previous key across page and row group boundaries.
     */
    private boolean keyRepeated;
    /** Per schema column: iff its values' lengths are fixed by the type (DECIMAL, TIMESTAMP) and checked. */
    private final boolean[] lengthChecked;
    private final boolean anyLengthChecked;
    /** Per physical column: iff its values are variable-length. */
    private final boolean[] variable;
    private boolean finished;
    private boolean closed;

    private SstWriter(Path path, Schema schema, SstOptions options, OffHeapAllocator allocator) {
        this.schema = schema;
        this.columns = FileColumn.of(schema);
        this.codecs = options.codecsFor(schema);
        this.row = new RowReader(schema).source("row given to the SST writer for " + path.getFileName());
        this.lengthChecked = new boolean[schema.columnCount()];
        boolean anyChecked = false;
        for (int i = 0; i < lengthChecked.length; i++) {
            TypeRoot root = schema.type(i).root();
            lengthChecked[i] = schema.type(i).isVariableLength() && (root == TypeRoot.DECIMAL || root == TypeRoot.TIMESTAMP);
            anyChecked |= lengthChecked[i];
        }
        this.anyLengthChecked = anyChecked;
        this.variable = new boolean[columns.length];
        for (int c = 0; c < columns.length; c++) {
            variable[c] = columns[c].variable();
        }
        this.fileStats = new StatsAccumulator[columns.length];
        for (int c = 0; c < columns.length; c++) {
            fileStats[c] = new StatsAccumulator();
        }
        this.out = new FileOutput(path);
        RowGroupWriter g = null;
        ByteSink h = null;
        try {
            g = new RowGroupWriter(columns, codecs, options, allocator);
            h = new ByteSink(allocator, MemoryPurpose.SST_WRITE);
            h.putLong(SstLayout.MAGIC).putInt(SstLayout.VERSION).putInt(0);
            out.write(h);
        } catch (RuntimeException e) {
            closeAll(g, h);
            out.abort();
            throw e;
        }
        this.group = g;
        this.header = h;
    }

    /**
     * Starts writing an SST of {@code schema} rows to {@code path} (through {@code <path>.tmp}).
     * Throws {@link io.floe.common.error.FloeIOException} if the file cannot be created or already
     * exists, {@link io.floe.common.error.InvalidOptionException} if the options name unknown columns.
     */
    public static SstWriter open(Path path, Schema schema, SstOptions options, OffHeapAllocator allocator) {
        return new SstWriter(path, schema, options, allocator);
    }

    /**
     * Appends the entry {@code (key, seq, kind, row)}: {@code key[keyOffset, +keyLength)} is the
     * memcomparable key, {@code row[rowOffset, +rowLength)} a binary row of the schema.
     *
     * <p>Throws {@link IllegalArgumentException} if the entry is out of order (its key sorts before
     * the previous key, or equals it with a sequence number not below the previous one), the key is
     * empty or longer than {@link SstLayout#MAX_KEY_BYTES}, or the row is malformed;
     * {@link IllegalStateException} after {@link #finish()} or {@link #close()}.
     */
    public void add(DirectBuffer key, int keyOffset, int keyLength, long seq, RowKind kind, DirectBuffer rowBuffer, int rowOffset, int rowLength) {
        boolean newKey = checkEntry(key, keyOffset, keyLength, seq);
        row.wrap(rowBuffer, rowOffset, rowLength);
        checkRow();
        appendKeySeqKind(key, keyOffset, keyLength, seq, kind);
        for (int i = 0; i < schema.columnCount(); i++) {
            int c = SstLayout.FIRST_VALUE_COLUMN + i;
            ValueVector v = group.page(c);
            if (row.isNullAt(i)) {
                v.appendNull();
            } else if (variable[c]) {
                v.appendBytes(rowBuffer, row.varOffset(i), row.varLength(i));
            } else {
                v.appendLong(row.getLong(i));
            }
        }
        entryAdded(key, keyOffset, keyLength, seq, newKey);
    }

    /**
     * Appends the entry {@code (key, seq, kind)} of {@code source}'s current position with the
     * source's row, copied column by column from its decoded pages (no binary row is assembled):
     * the compaction path for an entry that needs no merging. {@code seq} and {@code kind} may
     * differ from the source's (a compaction rewrites the kind of a folded row).
     *
     * <p>Throws {@link IllegalArgumentException} as {@link #add} does, and if the source's file has
     * other physical columns than this writer's; {@link IllegalStateException} after
     * {@link #finish()} or {@link #close()}. Requires: {@code source.valid()}.
     */
    public void addFrom(EntryIterator source, long seq, RowKind kind) {
        if (source.columnsCheckedBy != this) {
            checkColumns(source.columns());
            source.columnsCheckedBy = this;
        }
        DirectBuffer key = source.keyBuffer();
        int keyOffset = source.keyOffset();
        int keyLength = source.keyLength();
        boolean newKey = checkEntry(key, keyOffset, keyLength, seq);
        ValueVector[] values = source.valueColumns();
        int at = source.index();
        if (anyLengthChecked) {
            for (int i = 0; i < schema.columnCount(); i++) {
                if (lengthChecked[i]) {
                    ValueVector from = values[i];
                    if (!from.isNull(at)) {
                        checkVariable(i, from.length(at));
                    }
                }
            }
        }
        appendKeySeqKind(key, keyOffset, keyLength, seq, kind);
        for (int c = SstLayout.FIRST_VALUE_COLUMN; c < columns.length; c++) {
            ValueVector from = values[c - SstLayout.FIRST_VALUE_COLUMN];
            ValueVector v = group.page(c);
            if (from.isNull(at)) {
                v.appendNull();
            } else if (variable[c]) {
                v.appendBytes(from.data(), from.offset(at), from.length(at));
            } else {
                v.appendLong(from.getLong(at));
            }
        }
        entryAdded(key, keyOffset, keyLength, seq, newKey);
    }

    /** Throws {@link IllegalArgumentException} unless {@code source} (a file's physical columns) equals this writer's columns. */
    private void checkColumns(FileColumn[] source) {
        if (!Arrays.equals(source, columns)) {
            throw new IllegalArgumentException("entry of a file with columns " + Arrays.toString(source)
                    + " given to the SST writer for " + out.path().getFileName() + " with columns " + Arrays.toString(columns));
        }
    }

    /** Checks the writer's state and the entry's key and order; returns iff it starts a new key. */
    private boolean checkEntry(DirectBuffer key, int keyOffset, int keyLength, long seq) {
        if (finished || closed) {
            throw new IllegalStateException("SST writer for " + out.path() + " is " + (closed ? "closed" : "finished"));
        }
        if (keyLength < 1 || keyLength > SstLayout.MAX_KEY_BYTES) {
            throw new IllegalArgumentException("key of " + keyLength + " bytes: keys hold 1 to " + SstLayout.MAX_KEY_BYTES + " bytes");
        }
        if (rowCount == 0) {
            return true;
        }
        // The last key written is the open key page's last value, or, right after a page closed,
        // the copy the group keeps of the closed page's last key (no copy of every key).
        ValueVector keys = group.page(SstLayout.KEY_COLUMN);
        int n = keys.size();
        DirectBuffer last = n > 0 ? keys.data() : group.lastClosedKey().buffer();
        int lastOffset = n > 0 ? keys.offset(n - 1) : 0;
        int lastLength = n > 0 ? keys.length(n - 1) : group.lastClosedKey().position();
        int cmp = ByteComparisons.compare(key, keyOffset, keyLength, last, lastOffset, lastLength);
        if (cmp < 0 || (cmp == 0 && seq >= lastSeq)) {
            throw new IllegalArgumentException("entry out of order in " + out.path().getFileName() + " at entry " + rowCount
                    + ": key " + hex(key, keyOffset, keyLength) + " seq " + seq + " follows key " + hex(last, lastOffset, lastLength)
                    + " seq " + lastSeq + " (entries must be sorted by key ascending, then seq descending, without repeats)");
        }
        return cmp != 0;
    }

    private void appendKeySeqKind(DirectBuffer key, int keyOffset, int keyLength, long seq, RowKind kind) {
        group.page(SstLayout.KEY_COLUMN).appendBytes(key, keyOffset, keyLength);
        group.page(SstLayout.SEQ_COLUMN).appendLong(seq);
        group.page(SstLayout.KIND_COLUMN).appendLong(kind.value());
    }

    /** Records the entry just appended: key bookkeeping, seq range, and the page and row group limits. */
    private void entryAdded(DirectBuffer key, int keyOffset, int keyLength, long seq, boolean newKey) {
        if (newKey || group.rows() == 0) {
            group.newKey(key, keyOffset, keyLength);
        }
        keyRepeated |= !newKey;
        if (rowCount == 0) {
            firstKey = new byte[keyLength];
            key.getBytes(keyOffset, firstKey);
        }
        lastSeq = seq;
        minSeq = Math.min(minSeq, seq);
        maxSeq = Math.max(maxSeq, seq);
        rowCount++;
        if (group.entryAdded()) {
            flushRowGroup();
        }
    }

    /** Checks what the file relies on: fixed-length variable values of DECIMAL and TIMESTAMP. */
    private void checkRow() {
        for (int i = 0; i < schema.columnCount(); i++) {
            if (lengthChecked[i] && !row.isNullAt(i)) {
                checkVariable(i, row.varLength(i));
            }
        }
    }

    /** Throws {@link IllegalArgumentException} if schema column {@code i} cannot hold a value of {@code len} bytes. */
    private void checkVariable(int i, int len) {
        ColumnType type = schema.type(i);
        if (type.root() == TypeRoot.DECIMAL && (len < 1 || len > BinaryRowLayout.MAX_DECIMAL_VAR_BYTES)
                || type.root() == TypeRoot.TIMESTAMP && len != BinaryRowLayout.TIMESTAMP_VAR_BYTES) {
            throw new IllegalArgumentException("column '" + schema.column(i).name() + "' of type " + type + " holds " + len + " bytes");
        }
    }

    private void flushRowGroup() {
        group.flushPage();
        if (group.rows() == 0) {
            return;
        }
        StatsAccumulator[] chunk = group.chunkStats();
        for (int c = 0; c < columns.length; c++) {
            fileStats[c].merge(chunk[c]);
        }
        long firstRow = rowCount - group.rows();
        rowGroups.add(group.writeTo(out, firstRow));
    }

    /**
     * Writes the last row group, the footer and the trailer, publishes the file under its final
     * name and returns its metadata. Throws {@link IllegalStateException} if no entry was added
     * (an SST holds at least one) or the writer was finished or closed.
     */
    public SstMetadata finish() {
        if (finished || closed) {
            throw new IllegalStateException("SST writer for " + out.path() + " is " + (closed ? "closed" : "finished"));
        }
        if (rowCount == 0) {
            throw new IllegalStateException("an SST holds at least one entry; abort the writer (close()) instead of finishing it empty");
        }
        flushRowGroup();
        ByteSink lastKey = group.lastClosedKey();
        byte[] maxKey = new byte[lastKey.position()];
        lastKey.buffer().getBytes(0, maxKey);
        ColumnStats[] stats = new ColumnStats[columns.length];
        for (int c = 0; c < columns.length; c++) {
            stats[c] = fileStats[c].toColumnStats();
        }
        SstMetadata.KeyMultiplicity keys = keyRepeated ? SstMetadata.KeyMultiplicity.REPEATED : SstMetadata.KeyMultiplicity.UNIQUE;
        Footer footer = new Footer(schema, rowCount, minSeq, maxSeq, firstKey, maxKey, codecs, stats, rowGroups.toArray(new RowGroupInfo[0]),
                keys);
        header.clear();
        footer.write(header);
        long footerOffset = out.position();
        int footerLength = header.position();
        int footerCrc = io.floe.common.bytes.Checksums.crc32c(header.buffer(), 0, footerLength);
        int trailerAt = header.position();
        header.putLong(footerOffset).putInt(footerLength).putInt(footerCrc).putInt(SstLayout.VERSION);
        header.putInt(io.floe.common.bytes.Checksums.crc32c(header.buffer(), trailerAt, SstLayout.TRAILER_CRC_COVERED));
        header.putLong(SstLayout.MAGIC);
        out.write(header);
        long size = out.position();
        out.commit();
        finished = true;
        return new SstMetadata(out.path().getFileName().toString(), size, schema, rowCount, firstKey, maxKey, minSeq, maxSeq,
                rowGroups.size(), List.of(columns), List.of(stats), keys);
    }

    /** Frees the writer's memory; if {@link #finish()} did not succeed, deletes the temporary file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.abort();
        } finally {
            closeAll(group, header);
        }
    }

    private static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static String hex(DirectBuffer b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(len, 32); i++) {
            sb.append(String.format("%02x", b.getByte(off + i) & 0xFF));
        }
        return len > 32 ? sb + "..." : sb.toString();
    }
}
