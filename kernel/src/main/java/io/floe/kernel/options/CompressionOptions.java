package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;

/**
 * Compression per level of a bucket's LSM tree. With universal compaction a bucket has sorted runs
 * rather than numbered levels; the three "levels" are where a run comes from:
 *
 * <ul>
 *   <li>{@code flush}: level-0 runs written by a memtable flush (written often, read briefly:
 *       cheap and fast by default);</li>
 *   <li>{@code compacted}: runs written by a compaction that does not reach the bottom;</li>
 *   <li>{@code bottom}: the oldest run, written by a compaction that includes every older run
 *       (most of the data lives here: densest by default).</li>
 * </ul>
 *
 * @param zstdLevel the zstd level for runs compressed with {@link Compression#ZSTD}, 1 to 19
 */
public record CompressionOptions(Compression flush, Compression compacted, Compression bottom, int zstdLevel) {
    public static final int MIN_ZSTD_LEVEL = 1;
    public static final int MAX_ZSTD_LEVEL = 19;

    /** Throws {@link InvalidOptionException} if a compression is missing or the zstd level is out of range. */
    public CompressionOptions {
        InvalidOptionException.check(flush != null, "compression.flush", null, "one of none, lz4, zstd");
        InvalidOptionException.check(compacted != null, "compression.compacted", null, "one of none, lz4, zstd");
        InvalidOptionException.check(bottom != null, "compression.bottom", null, "one of none, lz4, zstd");
        InvalidOptionException.check(zstdLevel >= MIN_ZSTD_LEVEL && zstdLevel <= MAX_ZSTD_LEVEL, "compression.zstd-level", zstdLevel,
                "an integer from " + MIN_ZSTD_LEVEL + " to " + MAX_ZSTD_LEVEL);
    }

    /** Returns lz4 for flushed and compacted runs, zstd level 3 at the bottom. */
    public static CompressionOptions defaults() {
        return new CompressionOptions(Compression.LZ4, Compression.LZ4, Compression.ZSTD, 3);
    }

    /** Returns {@code c} at every level. */
    public static CompressionOptions uniform(Compression c) {
        return new CompressionOptions(c, c, c, 3);
    }

    /** Returns the compression of a run written by a flush ({@code flush}) or a compaction ({@code bottom} or not). */
    public Compression forOutput(boolean fromFlush, boolean bottomRun) {
        return fromFlush ? flush : bottomRun ? bottom : compacted;
    }
}
