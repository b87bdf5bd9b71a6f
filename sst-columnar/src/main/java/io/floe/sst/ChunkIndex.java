package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The parsed index of one column chunk of a row group: where the chunk lies, its statistics, and
 * every page's entry ({@link PageIndex}) held flat, in two primitive arrays with a fixed stride per
 * page and the statistics' bounds left in place in a copy of the index block, so that opening a
 * file costs a handful of objects per chunk rather than several per page.
 *
 * <p>Memory: heap arrays, immutable once read, except {@link #stats(int)}'s array of page
 * statistics, made on first use (the predicate path). Threads: safe to share; that lazy array is
 * published through a volatile field, and two threads racing to make it make equal ones.
 */
final class ChunkIndex {
    /** Ints per page in {@link #ints}. */
    private static final int INTS = 8;
    private static final int STORED = 0;
    private static final int RAW = 1;
    private static final int CRC = 2;
    /** The codec id in bits 8..15, the encoding in bits 0..7. */
    private static final int CODEC_ENCODING = 3;
    /** Where the min bound starts in {@link #block}, or -1 if the page has none. */
    private static final int MIN_AT = 4;
    private static final int MIN_LENGTH = 5;
    private static final int MAX_AT = 6;
    private static final int MAX_LENGTH = 7;
    /** Longs per page in {@link #longs}: the page's file offset, then its null count. */
    private static final int LONGS = 2;

    private final long offset;
    private final long length;
    private final ColumnStats stats;
    private final int[] pageRows;
    private final int[] ints;
    private final long[] longs;
    /** The row group's index block (shared by its chunks), where the pages' bounds are. */
    private final byte[] block;
    private final UnsafeBuffer blockView;
    private volatile ColumnStats[] pageStats;

    private ChunkIndex(long offset, long length, ColumnStats stats, int[] pageRows, int[] ints, long[] longs, byte[] block,
                       UnsafeBuffer blockView) {
        this.offset = offset;
        this.length = length;
        this.stats = stats;
        this.pageRows = pageRows;
        this.ints = ints;
        this.longs = longs;
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
        int[] ints = new int[pages * INTS];
        long[] longs = new long[pages * LONGS];
        long at = offset;
        for (int p = 0; p < pages; p++) {
            int i = p * INTS;
            int codecId = in.u8();
            Codec codec = Codec.fromId(codecId);
            if (codec == null) {
                throw in.corrupt("unknown codec " + codecId);
            }
            int encoding = in.u8();
            if (in.u16() != 0) {
                throw in.corrupt("reserved page entry bytes are not zero");
            }
            int stored = in.u32("page stored length", 1, Math.min(length, SstLayout.MAX_PAGE_BYTES));
            int raw = in.u32("page raw length", 1, SstLayout.MAX_PAGE_BYTES);
            if (codec == Codec.NONE && raw != stored) {
                throw in.corrupt("uncompressed page of " + stored + " stored bytes claims " + raw + " raw bytes");
            }
            ints[i + STORED] = stored;
            ints[i + RAW] = raw;
            ints[i + CRC] = in.i32();
            ints[i + CODEC_ENCODING] = codecId << 8 | encoding;
            // The page's statistics, checked as ColumnStats.read checks them, bounds left in the block.
            long nulls = in.u64("null count", 0, pageRows[p]);
            int flags = in.u8();
            if ((flags & ~(SstLayout.STATS_HAS_MIN | SstLayout.STATS_HAS_MAX)) != 0) {
                throw in.corrupt("unknown statistics flags " + flags);
            }
            ints[i + MIN_AT] = -1;
            ints[i + MAX_AT] = -1;
            if ((flags & SstLayout.STATS_HAS_MIN) != 0) {
                int n = in.u16();
                ints[i + MIN_AT] = in.take(n) - blockBase;
                ints[i + MIN_LENGTH] = n;
            }
            if ((flags & SstLayout.STATS_HAS_MAX) != 0) {
                int n = in.u16();
                ints[i + MAX_AT] = in.take(n) - blockBase;
                ints[i + MAX_LENGTH] = n;
            }
            if (ints[i + MIN_AT] >= 0 && ints[i + MAX_AT] >= 0 && ByteComparisons.compare(blockView, ints[i + MIN_AT], ints[i + MIN_LENGTH],
                    blockView, ints[i + MAX_AT], ints[i + MAX_LENGTH]) > 0) {
                throw in.corrupt("statistics min is above max");
            }
            longs[p * LONGS] = at;
            longs[p * LONGS + 1] = nulls;
            at += stored;
        }
        if (key) {
            for (int p = 0; p < pages; p++) {
                if (ints[p * INTS + MIN_AT] < 0 || ints[p * INTS + MAX_AT] < 0 || longs[p * LONGS + 1] != 0) {
                    throw in.corrupt("key statistics of a page lack its first or last key");
                }
            }
        }
        if (at != offset + length) {
            throw in.corrupt("pages of column " + column + " take " + (at - offset) + " bytes but the chunk has " + length);
        }
        return new ChunkIndex(offset, length, stats, pageRows, ints, longs, block, blockView);
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
        return longs[p * LONGS];
    }

    int storedLength(int p) {
        return ints[p * INTS + STORED];
    }

    int rawLength(int p) {
        return ints[p * INTS + RAW];
    }

    int crc(int p) {
        return ints[p * INTS + CRC];
    }

    Codec codec(int p) {
        return Codec.fromId(ints[p * INTS + CODEC_ENCODING] >>> 8);
    }

    byte encoding(int p) {
        return (byte) ints[p * INTS + CODEC_ENCODING];
    }

    /**
     * Returns how {@code key[offset, +length)} compares with page {@code p}'s min bound (negative,
     * zero or positive as it sorts below, equal or above). Requires: the page has one (key pages do).
     */
    int compareWithMin(int p, DirectBuffer key, int keyOffset, int keyLength) {
        return ByteComparisons.compare(key, keyOffset, keyLength, blockView, ints[p * INTS + MIN_AT], ints[p * INTS + MIN_LENGTH]);
    }

    /** As {@link #compareWithMin}, with page {@code p}'s max bound. */
    int compareWithMax(int p, DirectBuffer key, int keyOffset, int keyLength) {
        return ByteComparisons.compare(key, keyOffset, keyLength, blockView, ints[p * INTS + MAX_AT], ints[p * INTS + MAX_LENGTH]);
    }

    /** Returns how page {@code p}'s min bound compares with {@code bytes}. Requires: the page has one. */
    int compareMin(int p, byte[] bytes) {
        return ByteComparisons.compare(blockView, ints[p * INTS + MIN_AT], ints[p * INTS + MIN_LENGTH], bytes);
    }

    /** Returns how page {@code p}'s max bound compares with {@code bytes}. Requires: the page has one. */
    int compareMax(int p, byte[] bytes) {
        return ByteComparisons.compare(blockView, ints[p * INTS + MAX_AT], ints[p * INTS + MAX_LENGTH], bytes);
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
                all[q] = new ColumnStats(pageRows[q], longs[q * LONGS + 1], bound(q, MIN_AT, MIN_LENGTH), bound(q, MAX_AT, MAX_LENGTH));
            }
            pageStats = all;
        }
        return all[p];
    }

    private byte[] bound(int p, int atField, int lengthField) {
        int at = ints[p * INTS + atField];
        return at < 0 ? null : java.util.Arrays.copyOfRange(block, at, at + ints[p * INTS + lengthField]);
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
