package io.floe.sst;

/**
 * The footer's entry for one row group ({@link SstLayout}, "footer").
 *
 * @param firstRow    the file row of the group's first entry
 * @param rowCount    entries in the group
 * @param dataOffset  file offset of the group's first chunk
 * @param indexOffset file offset of the group's index block
 * @param indexLength its length
 * @param indexCrc    CRC32C of the index block
 * @param bloomOffset file offset of the bloom block (0 if none)
 * @param bloomLength its length (0 if none)
 * @param bloomCrc    CRC32C of the bloom block
 * @param keyStats    the group's first and last key
 */
record RowGroupInfo(long firstRow, int rowCount, long dataOffset, long indexOffset, int indexLength, int indexCrc,
                    long bloomOffset, int bloomLength, int bloomCrc, ColumnStats keyStats) {
    void write(ByteSink out) {
        out.putLong(firstRow).putInt(rowCount).putLong(dataOffset);
        out.putLong(indexOffset).putInt(indexLength).putInt(indexCrc);
        out.putLong(bloomOffset).putInt(bloomLength).putInt(bloomCrc);
        keyStats.write(out);
    }

    /** Reads an entry that must start at or after {@code minOffset} and end by {@code footerOffset}. */
    static RowGroupInfo read(BlockReader in, long expectedFirstRow, long totalRows, long minOffset, long footerOffset) {
        long firstRow = in.u64("row group first row", expectedFirstRow, expectedFirstRow);
        int rows = in.u32("row group rows", 1, Math.min(totalRows - firstRow, Integer.MAX_VALUE));
        long data = in.u64("row group data offset", minOffset, footerOffset);
        long index = in.u64("index offset", data, footerOffset);
        int indexLength = in.u32("index length", 8, Math.min(footerOffset - index, SstLayout.MAX_BLOCK_BYTES));
        int indexCrc = in.i32();
        long bloom = in.u64("bloom offset", 0, footerOffset);
        int bloomLength = in.u32("bloom length", 0, Math.min(footerOffset - bloom, SstLayout.MAX_BLOCK_BYTES));
        int bloomCrc = in.i32();
        if (bloomLength > 0 && (bloom < data || bloom + bloomLength > index)) {
            throw in.corrupt("bloom block [" + bloom + ", " + (bloom + bloomLength) + ") lies outside its row group");
        }
        ColumnStats keyStats = ColumnStats.read(in, rows);
        if (keyStats.min() == null || keyStats.max() == null || keyStats.nullCount() != 0) {
            throw in.corrupt("row group key statistics lack a first or last key");
        }
        return new RowGroupInfo(firstRow, rows, data, index, indexLength, indexCrc, bloom, bloomLength, bloomCrc, keyStats);
    }

    /** Returns where the group's chunks end: at its bloom block, else at its index block. */
    long dataEnd() {
        return bloomLength > 0 ? bloomOffset : indexOffset;
    }
}
