package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;

/**
 * The page size of the SST files a table writes (by its flushes and compactions). A page is the
 * unit an SST reader decompresses and decodes: a point lookup decodes the whole page of each
 * column it reads, a scan decodes every page it does not skip by statistics. Small pages suit a
 * lookup-heavy table (less decoded per lookup, at the price of a larger page index and worse
 * compression); large pages suit a scan-heavy one. A page closes at whichever limit it reaches
 * first. The options shape only files written from now on: a table reads files of any page size,
 * so they may change between opens.
 *
 * @param pageBytes a page closes once one of its columns holds this many raw (uncompressed) bytes:
 *                  8 per value of a fixed-width column, 4 plus the value's length of a
 *                  variable-width one (the key among them). 1 KiB to 8 MiB (a flush or compaction
 *                  closes a row group at about 8 MiB stored, so a larger page would only make
 *                  row groups of one page).
 * @param pageRows  the most entries in a page. 16 to 1,048,576 (the SST format's limit).
 */
public record FileLayoutOptions(long pageBytes, int pageRows) {
    public static final long MIN_PAGE_BYTES = 1L << 10;
    public static final long MAX_PAGE_BYTES = 8L << 20;
    public static final int MIN_PAGE_ROWS = 16;
    public static final int MAX_PAGE_ROWS = 1 << 20;
    /** The page size every table wrote before this option existed (the SST writer's default). */
    public static final long DEFAULT_PAGE_BYTES = 64L << 10;
    /** The page row limit every table wrote before this option existed (the SST writer's default). */
    public static final int DEFAULT_PAGE_ROWS = 1 << 16;

    /** Throws {@link InvalidOptionException} naming the option if a value is out of range. */
    public FileLayoutOptions {
        InvalidOptionException.check(pageBytes >= MIN_PAGE_BYTES && pageBytes <= MAX_PAGE_BYTES, "file.page-size", pageBytes,
                "bytes from " + MIN_PAGE_BYTES + " (1 KiB) to " + MAX_PAGE_BYTES + " (8 MiB)");
        InvalidOptionException.check(pageRows >= MIN_PAGE_ROWS && pageRows <= MAX_PAGE_ROWS, "file.page-rows", pageRows,
                "an integer from " + MIN_PAGE_ROWS + " to " + MAX_PAGE_ROWS);
    }

    /** Returns 64 KiB and 65,536-row pages: the SST writer's defaults, which every table used before the option existed. */
    public static FileLayoutOptions defaults() {
        return new FileLayoutOptions(DEFAULT_PAGE_BYTES, DEFAULT_PAGE_ROWS);
    }
}
