package io.floe.sst;

import io.floe.common.error.CorruptionException;
import java.util.Arrays;

/**
 * The parsed index block of one row group ({@link SstLayout}, "index"): its pages (row-aligned
 * across columns) and, for each physical column, the chunk's place and every page's entry.
 * Immutable once read; shared by every reader thread.
 */
final class RowGroupIndex {
    /** One column chunk. {@code pageOffsets[p]} is the file offset of page {@code p}. */
    record Chunk(long offset, long length, ColumnStats stats, PageIndex[] pages, long[] pageOffsets) {
    }

    final int[] pageRows;
    /** Row (within the row group) where each page starts; one more entry holding the row count. */
    final int[] pageStart;
    final Chunk[] chunks;

    RowGroupIndex(int[] pageRows, Chunk[] chunks) {
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

    /** Returns the key statistics of page {@code p} (its first and last key). */
    ColumnStats keyStats(int p) {
        return chunks[SstLayout.KEY_COLUMN].pages[p].stats();
    }

    /**
     * Throws {@link CorruptionException} naming {@code file} and the index block's offset unless
     * {@code groupKeys} (the footer's key range of row group {@code g}) runs exactly from the first
     * key of the first page to the last key of the last page: the reader finds row groups by the
     * one and pages by the other, and a page search must land inside the group it was sent to.
     */
    void checkKeyRange(ColumnStats groupKeys, String file, long indexOffset, int g) {
        if (!Arrays.equals(groupKeys.min(), keyStats(0).min()) || !Arrays.equals(groupKeys.max(), keyStats(pageCount() - 1).max())) {
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
        int[] pageRows = new int[pages];
        long total = 0;
        for (int p = 0; p < pages; p++) {
            pageRows[p] = in.u32("page rows", 1, Math.min(rowCount, SstLayout.MAX_PAGE_ROWS));
            total += pageRows[p];
        }
        if (total != rowCount) {
            throw in.corrupt("pages hold " + total + " rows but the row group has " + rowCount);
        }
        Chunk[] chunks = new Chunk[columnCount];
        long expectedOffset = dataStart;
        for (int c = 0; c < columnCount; c++) {
            long offset = in.u64("chunk offset", expectedOffset, expectedOffset);
            long length = in.u64("chunk length", 1, dataEnd - offset);
            ColumnStats stats = ColumnStats.read(in, rowCount);
            PageIndex[] entries = new PageIndex[pages];
            long[] offsets = new long[pages];
            long at = offset;
            for (int p = 0; p < pages; p++) {
                entries[p] = PageIndex.read(in, pageRows[p], length);
                offsets[p] = at;
                at += entries[p].storedLength();
            }
            if (c == SstLayout.KEY_COLUMN) {
                for (PageIndex e : entries) {
                    if (e.stats().min() == null || e.stats().max() == null || e.stats().nullCount() != 0) {
                        throw in.corrupt("key statistics of a page lack its first or last key");
                    }
                }
            }
            if (at != offset + length) {
                throw in.corrupt("pages of column " + c + " take " + (at - offset) + " bytes but the chunk has " + length);
            }
            chunks[c] = new Chunk(offset, length, stats, entries, offsets);
            expectedOffset = offset + length;
        }
        in.expectEnd();
        return new RowGroupIndex(pageRows, chunks);
    }
}
