package io.floe.memtable;

import io.floe.common.error.InvalidOptionException;

/**
 * How big a memtable may grow and how it takes memory.
 *
 * @param memoryLimitBytes the most bytes the memtable's arena takes from the allocator; an insert
 *                         that would need more reports {@link InsertStatus#FULL}. In
 *                         {@code [MIN_LIMIT_BYTES, MAX_LIMIT_BYTES]}.
 * @param chunkBytes       the size of one arena chunk (a power of two in
 *                         {@code [MIN_CHUNK_BYTES, MAX_CHUNK_BYTES]}); entries bigger than a
 *                         quarter of it get a block of their own. Smaller chunks waste less at the
 *                         end of a nearly full memtable, larger ones call the allocator less often.
 */
public record MemtableOptions(long memoryLimitBytes, int chunkBytes) {
    public static final long MIN_LIMIT_BYTES = 4 << 10;
    /** 2 GiB: the arena's 32-bit offset space must hold the limit with room for rounding. */
    public static final long MAX_LIMIT_BYTES = 1L << 31;
    public static final int MIN_CHUNK_BYTES = 4 << 10;
    public static final int MAX_CHUNK_BYTES = 64 << 20;
    /** The largest chunk {@link #withLimit} picks. */
    public static final int DEFAULT_MAX_CHUNK_BYTES = 1 << 20;

    /** Throws {@link InvalidOptionException} if a value is out of range. */
    public MemtableOptions {
        InvalidOptionException.check(memoryLimitBytes >= MIN_LIMIT_BYTES && memoryLimitBytes <= MAX_LIMIT_BYTES,
                "memtable.memoryLimitBytes", memoryLimitBytes, "in [" + MIN_LIMIT_BYTES + ", " + MAX_LIMIT_BYTES + "]");
        InvalidOptionException.check(chunkBytes >= MIN_CHUNK_BYTES && chunkBytes <= MAX_CHUNK_BYTES && Integer.bitCount(chunkBytes) == 1,
                "memtable.chunkBytes", chunkBytes, "a power of two in [" + MIN_CHUNK_BYTES + ", " + MAX_CHUNK_BYTES + "]");
    }

    /**
     * Returns options with the given limit and a chunk of about a sixteenth of it, within
     * {@code [MIN_CHUNK_BYTES, DEFAULT_MAX_CHUNK_BYTES]}: a 64 MiB memtable takes 1 MiB chunks.
     */
    public static MemtableOptions withLimit(long memoryLimitBytes) {
        long sixteenth = Math.max(1L, memoryLimitBytes / 16);
        long chunk = Long.highestOneBit(sixteenth);
        chunk = Math.max(MIN_CHUNK_BYTES, Math.min(DEFAULT_MAX_CHUNK_BYTES, chunk));
        return new MemtableOptions(memoryLimitBytes, (int) chunk);
    }
}
