package io.floe.sst;

import io.floe.common.error.CorruptionException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The parsed index block of one row group ({@link SstLayout}, "index"): its pages (row-aligned
 * across columns) and, for each physical column, the chunk's place and every page's entry.
 * Immutable once read; shared by every reader thread.
 */
final class RowGroupIndex {
    final int[] pageRows;
    /** Row (within the row group) where each page starts; one more entry holding the row count. */
    final int[] pageStart;
    final ChunkIndex[] chunks;

    RowGroupIndex(int[] pageRows, ChunkIndex[] chunks) {
        this.pageRows = pageRows;
        this.chunks = chunks;
        this.pageStart = new int[pageRows.length + 1];
        for (int p = 0; p < pageRows.length; p++) {
            pageStart[p + 1] = pageStart[p] + pageRows[p];
        }
    }

    int pageCount() {
        return pageRows.length;
    }

    int rowCount() {
        return pageStart[pageRows.length];
    }

    /** Returns the key index: every page's first and last key. */
    ChunkIndex keys() {
        return chunks[SstLayout.KEY_COLUMN];
    }

    /**
     * Throws {@link CorruptionException} naming {@code file} and the index block's offset unless
     * {@code groupKeys} (the footer's key range of row group {@code g}) runs exactly from the first
     * key of the first page to the last key of the last page: the reader finds row groups by the
     * one and pages by the other, and a page search must land inside the group it was sent to.
     */
    void checkKeyRange(ColumnStats groupKeys, String file, long indexOffset, int g) {
        if (keys().compareMin(0, groupKeys.min()) != 0 || keys().compareMax(pageCount() - 1, groupKeys.max()) != 0) {
            throw new CorruptionException(file, indexOffset, "the key range of row group " + g + " in the footer differs from its pages' key range");
        }
    }

    /**
     * Reads an index block of a row group of {@code rowCount} rows whose chunks must lie within
     * {@code [dataStart, dataEnd)} of the file, in column order, without gaps.
     */
    static RowGroupIndex read(BlockReader in, int columnCount, int rowCount, long dataStart, long dataEnd) {
        // Every page takes at least its 4-byte row count in the block: bound the count before allocating for it.
        int pages = in.u32("page count", 1, Math.min(rowCount, in.remaining() / 4));
        in.u32("column count", columnCount, columnCount);
        // Each page then takes, per column, an entry of at least PAGE_ENTRY_MIN_BYTES: ChunkIndex.read
        // allocates per page for each chunk before it reads an entry, so bound the count by those too.
        long entryBytes = (long) pages * columnCount * SstLayout.PAGE_ENTRY_MIN_BYTES;
        if (entryBytes > in.remaining()) {
            throw in.corrupt(pages + " pages of " + columnCount + " columns need at least " + entryBytes + " bytes of page entries but "
                    + in.remaining() + " remain");
        }
        int[] pageRows = new int[pages];
        long total = 0;
        for (int p = 0; p < pages; p++) {
            pageRows[p] = in.u32("page rows", 1, Math.min(rowCount, SstLayout.MAX_PAGE_ROWS));
            total += pageRows[p];
        }
        if (total != rowCount) {
            throw in.corrupt("pages hold " + total + " rows but the row group has " + rowCount);
        }
        // The pages' statistics stay in a copy of the block; the chunks point into it.
        int blockBase = in.position();
        byte[] block = new byte[in.remaining()];
        in.buffer().getBytes(blockBase, block);
        UnsafeBuffer blockView = new UnsafeBuffer(block);
        ChunkIndex[] chunks = new ChunkIndex[columnCount];
        long expectedOffset = dataStart;
        for (int c = 0; c < columnCount; c++) {
            long offset = in.u64("chunk offset", expectedOffset, expectedOffset);
            long length = in.u64("chunk length", 1, dataEnd - offset);
            ColumnStats stats = ColumnStats.read(in, rowCount);
            chunks[c] = ChunkIndex.read(in, blockBase, block, blockView, pageRows, offset, length, stats, c);
            expectedOffset = offset + length;
        }
        in.expectEnd();
        return new RowGroupIndex(pageRows, chunks);
    }
}
