package io.floe.kernel.bucket;

import io.floe.common.io.DurableFiles;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.options.Compression;
import io.floe.kernel.options.CompressionOptions;
import io.floe.kernel.options.FileLayoutOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.memtable.Memtable;
import io.floe.memtable.MemtableIterator;
import io.floe.sst.Codec;
import io.floe.sst.SstMetadata;
import io.floe.sst.SstOptions;
import io.floe.sst.SstWriter;
import io.floe.common.error.FloeIOException;

/**
 * Writes one immutable memtable as a level-0 SST: every version of every key, in the memtable's
 * order (key ascending, seq descending), which is the SST's order. Threads: stateless; called on a
 * background thread.
 */
final class Flusher {
    private Flusher() {
    }

    /**
     * Writes {@code memtable} to a new SST of {@code bucket} and returns its metadata (not yet in
     * the manifest). Requires: the caller holds a reference to {@code memtable}, which is not empty
     * and receives no more inserts. Throws {@link FloeIOException} if the file cannot be written.
     */
    static FileMeta flush(TableContext ctx, int bucket, Memtable memtable) {
        long number = ctx.versions().newFileNumber();
        java.nio.file.Path path = ctx.layout().sstFile(bucket, number);
        DurableFiles.createDirectories(path.getParent());
        SstOptions options = sstOptions(ctx.options(), ctx.options().compression().flush(), ctx.options().writeBuffer().memtableBytes());
        try (SstWriter w = SstWriter.open(path, ctx.schema(), options, ctx.allocator());
             MemtableIterator it = memtable.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                w.add(it.key(), 0, it.keyLength(), it.seq(), it.kind(), it.value(), 0, it.valueLength());
            }
            SstMetadata m = w.finish();
            return new FileMeta(bucket, number, number, m.fileSize(), m.minKey(), m.maxKey(), m.minSeq(), m.maxSeq(), m.rowCount());
        }
    }

    /** The largest row group a flush or compaction writes, in stored bytes. */
    static final long MAX_ROW_GROUP_BYTES = 8L << 20;

    /**
     * Returns the SST writer options of table {@code options} for a run compressed with
     * {@code codec} from about {@code bufferBytes} of input: the table's page size
     * ({@link TableOptions#fileLayout}) and row groups of up to {@link #MAX_ROW_GROUP_BYTES} stored
     * bytes. A row group's chunks are buffered until it is written, and its bloom filter is built
     * in memory; at 8 MiB the filter of a group of 100-byte rows is about 150 KiB, which stays in a
     * core's L2 cache while every key sets bits in a random block of it. (Row groups of 64 MiB,
     * as before, made each key's bloom insert a cache miss: about 7% of a compaction's time.)
     */
    static SstOptions sstOptions(TableOptions options, Compression codec, long bufferBytes) {
        return sstOptions(options.compression(), options.fileLayout(), codec, bufferBytes);
    }

    private static SstOptions sstOptions(CompressionOptions compression, FileLayoutOptions layout, Compression codec, long bufferBytes) {
        int rowGroupBytes = (int) Math.max(64L << 10, Math.min(MAX_ROW_GROUP_BYTES, bufferBytes));
        return SstOptions.defaults().withCodec(Codec.valueOf(codec.name())).withZstdLevel(compression.zstdLevel())
                .withRowGroup(1 << 20, rowGroupBytes).withPage((int) layout.pageBytes(), layout.pageRows());
    }
}
