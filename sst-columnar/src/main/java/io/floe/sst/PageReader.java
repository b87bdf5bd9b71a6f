package io.floe.sst;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads one page of one column into a {@link ValueVector}: a positional read of its stored bytes,
 * the CRC32C check, decompression straight into an off-heap buffer (skipped for uncompressed
 * pages, which decode from the read buffer), and the checked decode.
 *
 * <p>A reader made for one file ({@link #PageReader(SstFile, OffHeapAllocator, ScanStats)}) reads
 * with {@link #read(ChunkIndex, int, int, FileColumn, String, ValueVector)}; one made
 * without a file ({@link #PageReader(OffHeapAllocator)}, shared by a {@link PageCache} across files)
 * is told the file, its block reader and the counters on each call.
 *
 * <p>Memory: an I/O buffer and a raw-page buffer from the allocator ({@link MemoryPurpose#SST_READ}),
 * plus the decoder's scratch; freed by {@link #close()}. Threads: single owner (per scan / lookup).
 */
final class PageReader implements AutoCloseable {
    private final SstFile file;
    private final Region io;
    private final Region raw;
    private final Compressor compressor;
    private final PageDecoder decoder;
    private final BlockReader block;
    private final Checksums.Hasher hasher = new Checksums.Hasher();
    private final ScanStats stats;

    PageReader(SstFile file, OffHeapAllocator allocator, ScanStats stats) {
        this.file = file;
        this.io = new Region(allocator, MemoryPurpose.SST_READ);
        this.raw = new Region(allocator, MemoryPurpose.COMPRESSION);
        this.compressor = new Compressor(1);
        this.decoder = new PageDecoder(allocator);
        this.block = new BlockReader(file.name());
        this.stats = stats;
    }

    /** A reader for pages of any file, given on each {@link #read(SstFile, BlockReader, ScanStats, ChunkIndex, int, int, FileColumn, String, ValueVector)}. */
    PageReader(OffHeapAllocator allocator) {
        this.file = null;
        this.io = new Region(allocator, MemoryPurpose.SST_READ);
        this.raw = new Region(allocator, MemoryPurpose.COMPRESSION);
        this.compressor = new Compressor(1);
        this.decoder = new PageDecoder(allocator);
        this.block = null;
        this.stats = null;
    }

    /**
     * Decodes page {@code page} of chunk {@code chunk} ({@code rows} rows) of column {@code column}
     * into {@code out}; {@code what} names the column's pages in errors (built once per column, so
     * that the hot path concatenates nothing).
     */
    void read(ChunkIndex chunk, int page, int rows, FileColumn column, String what, ValueVector out) {
        read(file, block, stats, chunk, page, rows, column, what, out);
    }

    /**
     * As {@link #read(ChunkIndex, int, int, FileColumn, String, ValueVector)}, for a page of
     * {@code file}, checked through {@code block} (a block reader naming {@code file}) and counted in
     * {@code stats}. Throws {@link CorruptionException} naming the file and offset if the page is corrupt.
     */
    void read(SstFile file, BlockReader block, ScanStats stats, ChunkIndex chunk, int page, int rows, FileColumn column,
              String what, ValueVector out) {
        long offset = chunk.pageOffset(page);
        int storedLength = chunk.storedLength(page);
        int rawLength = chunk.rawLength(page);
        int expectedCrc = chunk.crc(page);
        Codec codec = chunk.codec(page);
        UnsafeBuffer stored = file.read(offset, storedLength, io, what);
        int crc = hasher.hash(stored, 0, storedLength);
        if (crc != expectedCrc) {
            throw new CorruptionException(file.name(), offset, "checksum mismatch in page " + page + " of column '" + column.name() + "': stored "
                    + Integer.toHexString(expectedCrc) + ", computed " + Integer.toHexString(crc));
        }
        UnsafeBuffer body = stored;
        if (codec != Codec.NONE) {
            raw.ensure(rawLength, 0);
            compressor.decompress(codec, stored, 0, storedLength, raw.buffer(), 0, rawLength, file.name(), offset);
            body = raw.buffer();
        }
        block.wrap(body, 0, rawLength, offset, what);
        byte encoding = decoder.decode(block, rows, column.nullable(), out);
        if (encoding != chunk.encoding(page)) {
            throw new CorruptionException(file.name(), offset, "page " + page + " of column '" + column.name() + "' is encoded "
                    + SstLayout.encodingName(encoding) + " but its index says " + SstLayout.encodingName(chunk.encoding(page)));
        }
        stats.pagesRead++;
        stats.bytesRead += storedLength;
    }

    @Override
    public void close() {
        io.close();
        raw.close();
        compressor.close();
        decoder.close();
    }
}
