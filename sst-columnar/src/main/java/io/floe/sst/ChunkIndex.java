package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The parsed index of one column chunk of a row group: where the chunk lies, its statistics, and
 * every page's entry ({@link PageIndex}), read in place from a copy of the index block: the reader
 * keeps, per page, only where its entry starts in the block and where the page starts in the file,
 * so that opening a file costs a handful of objects per chunk rather than several per page.
 *
 * <p>Memory: heap arrays, immutable once read, except {@link #stats(int)}'s array of page
 * statistics, made on first use (the predicate path). Threads: safe to share; that lazy array is
 * published through a volatile field, and two threads racing to make it make equal ones.
 */
final class ChunkIndex {
    // Offsets within a stored page entry ({@link SstLayout}, "index"; {@link PageIndex#write}).
    private static final int CODEC = 0;
    private static final int ENCODING = 1;
    private static final int STORED = 4;
    private static final int RAW = 8;
    private static final int CRC = 12;
    private static final int NULLS = 16;
    private static final int FLAGS = 24;
    /** Where the first bound's u16 length is. */
    private static final int BOUNDS = 25;

    private final long offset;
    private final long length;
    private final ColumnStats stats;
    private final int[] pageRows;
    /** Per page: where its entry starts in {@link #block}. */
    private final int[] entryAt;
    /** Per page: its file offset. */
    private final long[] pageOffsets;
    /** The row group's index block (shared by its chunks), checked by {@link #read}. */
    private final byte[] block;
    private final UnsafeBuffer blockView;
    private volatile ColumnStats[] pageStats;

    private ChunkIndex(long offset, long length, ColumnStats stats, int[] pageRows, int[] entryAt, long[] pageOffsets, byte[] block,
                       UnsafeBuffer blockView) {
        this.offset = offset;
        this.length = length;
        this.stats = stats;
        this.pageRows = pageRows;
        this.entryAt = entryAt;
        this.pageOffsets = pageOffsets;
        this.block = block;
        this.blockView = blockView;
    }

    /**
     * Reads the page entries of a chunk at {@code [offset, offset + length)} of the file whose
     * pages hold {@code pageRows} rows, from {@code in}, a reader over the index block whose bytes
     * {@code block} holds from index-block position {@code blockBase} on ({@code blockView} wraps
     * it); {@code column} is the chunk's physical column. Checks what {@link PageIndex#read} and
     * {@link ColumnStats#read} check, that a key page has both bounds and no null, and that the
     * pages fill the chunk. Throws {@link io.floe.common.error.CorruptionException} if not.
     */
    static ChunkIndex read(BlockReader in, int blockBase, byte[] block, UnsafeBuffer blockView, int[] pageRows, long offset, long length,
                           ColumnStats stats, int column) {
        boolean key = column == SstLayout.KEY_COLUMN;
        int pages = pageRows.length;
        int[] entryAt = new int[pages];
        long[] pageOffsets = new long[pages];
        long at = offset;
        for (int p = 0; p < pages; p++) {
            entryAt[p] = in.position() - blockBase;
            int codecId = in.u8();
            Codec codec = Codec.fromId(codecId);
            if (codec == null) {
                throw in.corrupt("unknown codec " + codecId);
            }
            in.u8(); // the encoding, checked against the page's own when it is decoded
            if (in.u16() != 0) {
                throw in.corrupt("reserved page entry bytes are not zero");
            }
            int stored = in.u32("page stored length", 1, Math.min(length, SstLayout.MAX_PAGE_BYTES));
            int raw = in.u32("page raw length", 1, SstLayout.MAX_PAGE_BYTES);
            if (codec == Codec.NONE && raw != stored) {
                throw in.corrupt("uncompressed page of " + stored + " stored bytes claims " + raw + " raw bytes");
            }
            in.i32(); // the crc
            // The page's statistics, checked as ColumnStats.read checks them.
            long nulls = in.u64("null count", 0, pageRows[p]);
            int flags = in.u8();
            if ((flags & ~(SstLayout.STATS_HAS_MIN | SstLayout.STATS_HAS_MAX)) != 0) {
                throw in.corrupt("unknown statistics flags " + flags);
            }
            int minAt = -1;
            int minLength = 0;
            if ((flags & SstLayout.STATS_HAS_MIN) != 0) {
                minLength = in.u16();
                minAt = in.take(minLength) - blockBase;
            }
            int maxAt = -1;
            int maxLength = 0;
            if ((flags & SstLayout.STATS_HAS_MAX) != 0) {
                maxLength = in.u16();
                maxAt = in.take(maxLength) - blockBase;
            }
            if (minAt >= 0 && maxAt >= 0 && ByteComparisons.compare(blockView, minAt, minLength, blockView, maxAt, maxLength) > 0) {
                throw in.corrupt("statistics min is above max");
            }
            if (key && (minAt < 0 || maxAt < 0 || nulls != 0)) {
                throw in.corrupt("key statistics of a page lack its first or last key");
            }
            pageOffsets[p] = at;
            at += stored;
        }
        if (at != offset + length) {
            throw in.corrupt("pages of column " + column + " take " + (at - offset) + " bytes but the chunk has " + length);
        }
        return new ChunkIndex(offset, length, stats, pageRows, entryAt, pageOffsets, block, blockView);
    }

    /** The chunk's file offset. */
    long offset() {
        return offset;
    }

    /** The chunk's length in the file (the sum of its pages' stored lengths, checked by {@link #read}). */
    long length() {
        return length;
    }

    /** The chunk's statistics. */
    ColumnStats stats() {
        return stats;
    }

    int pageCount() {
        return pageRows.length;
    }

    long pageOffset(int p) {
        return pageOffsets[p];
    }

    int storedLength(int p) {
        return blockView.getInt(entryAt[p] + STORED);
    }

    int rawLength(int p) {
        return blockView.getInt(entryAt[p] + RAW);
    }

    int crc(int p) {
        return blockView.getInt(entryAt[p] + CRC);
    }

    Codec codec(int p) {
        return Codec.fromId(blockView.getByte(entryAt[p] + CODEC) & 0xFF);
    }

    byte encoding(int p) {
        return blockView.getByte(entryAt[p] + ENCODING);
    }

    private long nullCount(int p) {
        return blockView.getLong(entryAt[p] + NULLS);
    }

    /** Returns where page {@code p}'s min bound's u16 length is in the block, or -1 if it has none. */
    private int minField(int p) {
        int at = entryAt[p];
        return (blockView.getByte(at + FLAGS) & SstLayout.STATS_HAS_MIN) != 0 ? at + BOUNDS : -1;
    }

    /** Returns where page {@code p}'s max bound's u16 length is in the block, or -1 if it has none. */
    private int maxField(int p) {
        int at = entryAt[p];
        int flags = blockView.getByte(at + FLAGS);
        if ((flags & SstLayout.STATS_HAS_MAX) == 0) {
            return -1;
        }
        return (flags & SstLayout.STATS_HAS_MIN) != 0 ? at + BOUNDS + 2 + boundLength(at + BOUNDS) : at + BOUNDS;
    }

    private int boundLength(int field) {
        return blockView.getShort(field) & 0xFFFF;
    }

    /**
     * Returns how {@code key[offset, +length)} compares with page {@code p}'s min bound (negative,
     * zero or positive as it sorts below, equal or above). Requires: the page has one (key pages do).
     */
    int compareWithMin(int p, DirectBuffer key, int keyOffset, int keyLength) {
        int field = minField(p);
        return ByteComparisons.compare(key, keyOffset, keyLength, blockView, field + 2, boundLength(field));
    }

    /** As {@link #compareWithMin}, with page {@code p}'s max bound. */
    int compareWithMax(int p, DirectBuffer key, int keyOffset, int keyLength) {
        int field = maxField(p);
        return ByteComparisons.compare(key, keyOffset, keyLength, blockView, field + 2, boundLength(field));
    }

    /** Returns how page {@code p}'s min bound compares with {@code bytes}. Requires: the page has one. */
    int compareMin(int p, byte[] bytes) {
        int field = minField(p);
        return ByteComparisons.compare(blockView, field + 2, boundLength(field), bytes);
    }

    /** Returns how page {@code p}'s max bound compares with {@code bytes}. Requires: the page has one. */
    int compareMax(int p, byte[] bytes) {
        int field = maxField(p);
        return ByteComparisons.compare(blockView, field + 2, boundLength(field), bytes);
    }

    /**
     * Returns page {@code p}'s statistics. The first call makes every page's (one array per chunk,
     * kept): the predicate path asks for them page after page.
     */
    ColumnStats stats(int p) {
        ColumnStats[] all = pageStats;
        if (all == null) {
            all = new ColumnStats[pageRows.length];
            for (int q = 0; q < all.length; q++) {
                all[q] = new ColumnStats(pageRows[q], nullCount(q), bound(minField(q)), bound(maxField(q)));
            }
            pageStats = all;
        }
        return all[p];
    }

    private byte[] bound(int field) {
        return field < 0 ? null : Arrays.copyOfRange(block, field + 2, field + 2 + boundLength(field));
    }

    /** Returns page {@code p}'s entry as a new object (for tools and tests). */
    PageIndex page(int p) {
        return new PageIndex(codec(p), encoding(p), storedLength(p), rawLength(p), crc(p), stats(p));
    }

    /** Returns every page's entry as new objects (for tools and tests). */
    PageIndex[] pages() {
        PageIndex[] out = new PageIndex[pageRows.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = page(p);
        }
        return out;
    }
}
