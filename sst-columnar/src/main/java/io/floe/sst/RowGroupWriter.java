package io.floe.sst;

import io.floe.common.bytes.Checksums;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;

/**
 * Builds one row group at a time: collects a page of values per column, encodes, checksums and
 * compresses each page into its column's chunk, and on {@link #writeTo} writes the chunks, the
 * group's bloom filter and its index block, then starts the next group.
 *
 * <p>Memory: everything is off-heap from the allocator ({@link MemoryPurpose#SST_WRITE}, compressor
 * scratch as {@link MemoryPurpose#COMPRESSION}) and bounded by one row group's stored bytes plus
 * one page per column plus the group's key hashes; {@link #close()} frees it.
 *
 * <p>Threads: single owner (the {@link SstWriter}'s).
 */
final class RowGroupWriter implements AutoCloseable {
    private final FileColumn[] columns;
    private final Codec[] codecs;
    private final SstOptions options;
    private final ValueVector[] page;
    /** Pages a column skips the dictionary attempt on after one overflowed. */
    static final int DICTIONARY_RETRY_PAGES = 15;
    /**
     * Pages a column stores uncompressed, without trying its codec, after a page of it saved less
     * than {@link #MIN_COMPRESSION_GAIN} of its bytes: random strings and hashes cost the compressor
     * a full pass per page for nothing (a tenth of a compaction's time with LZ4).
     */
    static final int COMPRESSION_RETRY_PAGES = 15;
    /** The least fraction of a page's bytes compression must save for the page to be stored compressed (an eighth). */
    static final double MIN_COMPRESSION_GAIN = 0.125;
    /** The first size of a column's page entries (about a hundred entries). */
    static final int INITIAL_INDEX_BYTES = 4 << 10;
    /** The first size of the index and bloom block buffer and of the key hashes (8 Ki keys). */
    static final int INITIAL_BLOCK_BYTES = 64 << 10;
    /** The variable-length columns, whose page sizes depend on their values. */
    private final int[] variableColumns;
    /** Per column: pages left on which no dictionary is tried. */
    private final int[] dictionarySkips;
    /** Per column: pages left that are stored without trying the codec. */
    private final int[] compressionSkips;
    private final ByteSink[] chunks;
    /** Per column: the file offset its chunk was written at (by {@link #writeTo}). */
    private final long[] chunkOffsets;
    /** Per column: the stored index entries ({@link PageIndex}) of the group's closed pages, appended as each page closes. */
    private final ByteSink[] pageEntries;
    /** Per column: the statistics of the group's closed pages. */
    private final StatsAccumulator[] chunkStats;
    /** The statistics of the page being closed, measured into one reused object. */
    private final StatsAccumulator pageStats = new StatsAccumulator();
    private final IntArrayList pageRows = new IntArrayList();
    private final PageEncoder encoder;
    private final Compressor compressor;
    private final ByteSink body;
    private final ByteSink block;
    /** The last key of the last closed page (of this or an earlier group). */
    private final ByteSink lastClosedKey;
    private final Region keyHashes;
    /** Checksums the bloom and index blocks. */
    private final Checksums.Hasher hasher = new Checksums.Hasher();
    /**
     * Per column: checksums its pages. One each, because a hasher keeps a view of the last buffer
     * it read and makes a new one when the buffer changes (a shared one would on every page).
     */
    private final Checksums.Hasher[] pageHashers;
    private int distinctKeys;
    private int rows;
    private long storedBytes;

    RowGroupWriter(FileColumn[] columns, Codec[] codecs, SstOptions options, OffHeapAllocator allocator) {
        this.columns = columns;
        this.codecs = codecs;
        this.options = options;
        this.page = new ValueVector[columns.length];
        this.variableColumns = java.util.stream.IntStream.range(0, columns.length).filter(c -> columns[c].variable()).toArray();
        this.dictionarySkips = new int[columns.length];
        this.compressionSkips = new int[columns.length];
        this.chunks = new ByteSink[columns.length];
        this.chunkOffsets = new long[columns.length];
        this.chunkStats = new StatsAccumulator[columns.length];
        this.pageEntries = new ByteSink[columns.length];
        this.pageHashers = new Checksums.Hasher[columns.length];
        for (int c = 0; c < columns.length; c++) {
            // Pages close at about options.pageBytes() per column, so every page buffer and chunk
            // gets that much at once rather than growing through the small sizes first.
            page[c] = new ValueVector(columns[c].variable(), allocator, MemoryPurpose.SST_WRITE, options.pageBytes());
            chunks[c] = new ByteSink(allocator, MemoryPurpose.SST_WRITE, options.pageBytes());
            pageEntries[c] = new ByteSink(allocator, MemoryPurpose.SST_WRITE, INITIAL_INDEX_BYTES);
            chunkStats[c] = new StatsAccumulator();
            pageHashers[c] = new Checksums.Hasher();
        }
        this.encoder = new PageEncoder(allocator);
        this.compressor = new Compressor(options.zstdLevel());
        this.body = new ByteSink(allocator, MemoryPurpose.COMPRESSION, options.pageBytes());
        this.block = new ByteSink(allocator, MemoryPurpose.SST_WRITE, INITIAL_BLOCK_BYTES);
        this.lastClosedKey = new ByteSink(allocator, MemoryPurpose.SST_WRITE);
        this.keyHashes = new Region(allocator, MemoryPurpose.SST_WRITE, INITIAL_BLOCK_BYTES);
    }

    /** Returns the page vector of column {@code c}, to append one value of the next entry to. */
    ValueVector page(int c) {
        return page[c];
    }

    /** Records that the entry just appended starts a new key (for the bloom filter). */
    void newKey(DirectBuffer key, int offset, int length) {
        if (options.bloomBitsPerKey() == 0) {
            return;
        }
        keyHashes.ensure(((long) distinctKeys + 1) << 3, distinctKeys << 3);
        keyHashes.buffer().putLong(distinctKeys << 3, Hashing.hash64(key, offset, length));
        distinctKeys++;
    }

    /** Closes the page if it reached its row or byte limit; returns iff the row group is then full. */
    boolean entryAdded() {
        rows++;
        // A page's raw bytes per column: 8 per value of a fixed column (the key, seq and kind
        // columns make every page have some), 4 plus the value's bytes of a variable one.
        int pageSize = page[0].size();
        long pageBytes = options.pageBytes();
        boolean pageFull = pageSize >= options.pageRows() || 8L * pageSize >= pageBytes;
        for (int i = 0; i < variableColumns.length && !pageFull; i++) {
            pageFull = 4L * pageSize + page[variableColumns[i]].dataLength() >= pageBytes;
        }
        if (pageFull) {
            flushPage();
            return rows >= options.rowGroupRows() || storedBytes >= options.rowGroupBytes();
        }
        return false;
    }

    int rows() {
        return rows;
    }

    /** Returns the statistics of each column over the current row group's closed pages (live: reset by {@link #writeTo}). */
    StatsAccumulator[] chunkStats() {
        return chunkStats;
    }

    /** Returns the last key of the last closed page, empty before the first page closes. */
    ByteSink lastClosedKey() {
        return lastClosedKey;
    }

    void flushPage() {
        int n = page[0].size();
        if (n == 0) {
            return;
        }
        ValueVector keys = page[SstLayout.KEY_COLUMN];
        lastClosedKey.clear();
        lastClosedKey.putBytes(keys.data(), keys.offset(n - 1), keys.length(n - 1));
        for (int c = 0; c < columns.length; c++) {
            ValueVector v = page[c];
            ByteSink chunk = chunks[c];
            int at = chunk.position();
            Codec codec = codecs[c];
            if (codec != Codec.NONE && compressionSkips[c] > 0) {
                compressionSkips[c]--;
                codec = Codec.NONE;
            }
            // A page stored as it is is encoded straight into its chunk; one to compress goes
            // through the body buffer first.
            ByteSink target = codec == Codec.NONE ? chunk : body;
            body.clear();
            // A column whose last dictionary attempt overflowed skips the attempt on its next
            // DICTIONARY_RETRY_PAGES pages (building a dictionary that fails costs up to half a
            // page of hashing); a column that changes character is retried after that.
            boolean tryDictionary = dictionarySkips[c] == 0;
            if (!tryDictionary) {
                dictionarySkips[c]--;
            }
            byte encoding = encoder.encode(v, columns[c].nullable(), tryDictionary ? options.dictionaryMaxRatio() : 0, target);
            if (tryDictionary && encoder.dictionaryOverflowed()) {
                dictionarySkips[c] = DICTIONARY_RETRY_PAGES;
            }
            int raw = target == chunk ? chunk.position() - at : body.position();
            if (raw > SstLayout.MAX_PAGE_BYTES) {
                throw new IllegalArgumentException("a page of column '" + columns[c].name() + "' holds " + raw + " bytes, above the limit of "
                        + SstLayout.MAX_PAGE_BYTES + "; a single value is too large");
            }
            int stored = raw;
            if (codec != Codec.NONE) {
                chunk.reserve(compressor.maxCompressedLength(codec, raw));
                stored = compressor.compress(codec, body.buffer(), 0, raw, chunk.buffer(), at);
                if (stored > raw - raw * MIN_COMPRESSION_GAIN) {
                    // Not worth a decompression on every read; and the next pages of the column
                    // are likely no better, so they skip the attempt for a while.
                    codec = Codec.NONE;
                    compressionSkips[c] = COMPRESSION_RETRY_PAGES;
                    chunk.truncate(at);
                    chunk.putBytes(body.buffer(), 0, raw);
                    stored = raw;
                } else {
                    chunk.truncate(at + stored);
                }
            }
            int crc = pageHashers[c].hash(chunk.buffer(), at, stored);
            pageStats.measure(columns[c], v);
            PageIndex.writeHead(pageEntries[c], codec, encoding, stored, raw, crc);
            pageStats.write(pageEntries[c]);
            chunkStats[c].merge(pageStats);
            storedBytes += stored;
            v.reset();
        }
        pageRows.addInt(n);
    }

    /**
     * Writes the row group (chunks, bloom, index) to {@code out}, returns its footer entry and
     * starts an empty group. Requires: at least one entry, the last page flushed.
     */
    RowGroupInfo writeTo(FileOutput out, long firstRow) {
        long dataOffset = out.position();
        for (int c = 0; c < columns.length; c++) {
            chunkOffsets[c] = out.position();
            out.write(chunks[c]);
        }
        long bloomOffset = 0;
        int bloomLength = 0;
        int bloomCrc = 0;
        if (options.bloomBitsPerKey() > 0) {
            block.clear();
            BlockedBloomFilter.write(block, keyHashes.buffer(), distinctKeys, options.bloomBitsPerKey());
            bloomOffset = out.position();
            bloomLength = block.position();
            bloomCrc = hasher.hash(block.buffer(), 0, bloomLength);
            out.write(block);
        }
        block.clear();
        block.putInt(pageRows.size()).putInt(columns.length);
        for (int p = 0; p < pageRows.size(); p++) {
            block.putInt(pageRows.getInt(p));
        }
        for (int c = 0; c < columns.length; c++) {
            block.putLong(chunkOffsets[c]).putLong(chunks[c].position());
            chunkStats[c].write(block);
            block.putBytes(pageEntries[c].buffer(), 0, pageEntries[c].position());
        }
        long indexOffset = out.position();
        int indexLength = block.position();
        int indexCrc = hasher.hash(block.buffer(), 0, indexLength);
        out.write(block);
        RowGroupInfo info = new RowGroupInfo(firstRow, rows, dataOffset, indexOffset, indexLength, indexCrc, bloomOffset, bloomLength,
                bloomCrc, chunkStats[SstLayout.KEY_COLUMN].toColumnStats());
        for (int c = 0; c < columns.length; c++) {
            chunks[c].clear();
            pageEntries[c].clear();
            chunkStats[c].reset();
        }
        pageRows.clear();
        rows = 0;
        storedBytes = 0;
        distinctKeys = 0;
        return info;
    }

    @Override
    public void close() {
        for (int c = 0; c < columns.length; c++) {
            page[c].close();
            chunks[c].close();
            pageEntries[c].close();
        }
        encoder.close();
        compressor.close();
        body.close();
        block.close();
        keyHashes.close();
        lastClosedKey.close();
    }
}
