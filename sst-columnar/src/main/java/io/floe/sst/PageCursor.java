package io.floe.sst;

import io.floe.common.memory.MemoryPurpose;

/**
 * Decoded pages of one row-aligned page position (row group {@code g}, page {@code p}) for any
 * subset of the physical columns, decoded on demand and kept until the cursor moves: asking twice
 * for the same column of the same page decodes once.
 *
 * <p>A cursor made with a {@link PageCache} keeps no pages of its own: it asks the cache, and a page
 * it returns stays valid until the cache's next {@link PageCache#beginUse()}.
 *
 * <p>Memory: one {@link ValueVector} per physical column, created on first use from the reader's
 * allocator ({@link MemoryPurpose#SST_READ}); freed by {@link #close()}, which also drops the
 * file's pages from the cache, if any. Threads: single owner.
 */
final class PageCursor implements AutoCloseable {
    final SstReader reader;
    final ScanStats stats;
    private final PageReader pages;
    private final PageCache cache;
    private final PageCache.FileSlots cached;
    private final ValueVector[] vectors;
    private final int[] loadedGroup;
    private final int[] loadedPage;
    private final String[] what;
    private int group = -1;
    private int page = -1;

    PageCursor(SstReader reader, ScanStats stats) {
        this(reader, stats, null);
    }

    /** A cursor whose pages come from {@code cache} (its own otherwise, if null). */
    PageCursor(SstReader reader, ScanStats stats, PageCache cache) {
        this.reader = reader;
        this.stats = stats;
        this.cache = cache;
        this.cached = cache == null ? null : cache.register(reader);
        this.pages = cache == null ? new PageReader(reader.file, reader.allocator, stats) : null;
        this.vectors = new ValueVector[reader.columns.length];
        this.loadedGroup = new int[vectors.length];
        this.loadedPage = new int[vectors.length];
        java.util.Arrays.fill(loadedGroup, -1);
        this.what = new String[vectors.length];
        for (int c = 0; c < what.length; c++) {
            what[c] = "a page of column '" + reader.columns[c].name() + "'";
        }
    }

    /** Aims the cursor at page {@code p} of row group {@code g}. */
    void moveTo(int g, int p) {
        group = g;
        page = p;
    }

    int group() {
        return group;
    }

    int page() {
        return page;
    }

    /** Returns the rows of the current page. */
    int rows() {
        return reader.indexes[group].pageRows[page];
    }

    /** Returns column {@code c} of the current page, decoding it unless it already is. */
    ValueVector column(int c) {
        if (cache != null) {
            return cache.column(cached, stats, group, page, c);
        }
        ValueVector v = vectors[c];
        if (v == null) {
            v = new ValueVector(reader.columns[c].variable(), reader.allocator, MemoryPurpose.SST_READ);
            vectors[c] = v;
        }
        if (loadedGroup[c] != group || loadedPage[c] != page) {
            loadedGroup[c] = -1;
            RowGroupIndex index = reader.indexes[group];
            pages.read(index.chunks[c], page, index.pageRows[page], reader.columns[c], what[c], v);
            loadedGroup[c] = group;
            loadedPage[c] = page;
        }
        return v;
    }

    /** Forgets that column {@code c} is decoded (after its buffers were handed to Arrow). */
    void invalidate(int c) {
        loadedGroup[c] = -1;
    }

    /** Moves to the next page, across row groups; returns false at the end of the file. */
    boolean advance() {
        if (page + 1 < reader.indexes[group].pageCount()) {
            page++;
            return true;
        }
        if (group + 1 < reader.indexes.length) {
            group++;
            page = 0;
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        for (ValueVector v : vectors) {
            if (v != null) {
                v.close();
            }
        }
        if (cache != null) {
            cache.unregister(cached);
        } else {
            pages.close();
        }
    }
}
