package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import java.nio.file.Path;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An open SST file. {@link #open} reads and checks the trailer, the footer, every row group's
 * index block and bloom filter (each against its checksum and the file's bounds), and keeps them;
 * pages are read on demand by the per-use objects it hands out:
 *
 * <ul>
 *   <li>{@link #newLookup()}: point lookups (newest version at a snapshot);</li>
 *   <li>{@link #newIterator()}: all entries in order with seek, rows as binary row views (merge path);</li>
 *   <li>{@link #scan(ScanSpec)}: column batches with projection and predicates, exportable to Arrow.</li>
 * </ul>
 *
 * <p>Threads: the reader is immutable after open and safe to share (publish it safely, e.g. through
 * a concurrent map); every lookup, iterator and scan is single-owner and holds its own buffers.
 *
 * <p>Memory: the reader keeps the row group indexes on the heap and the bloom filters off-heap, in
 * one block from its allocator ({@link BloomFilters}, {@link MemoryPurpose#SST_READ}) allocated by
 * {@link #open} and freed by {@link #close()}; per-use objects allocate off-heap buffers from the
 * same allocator ({@link MemoryPurpose#SST_READ}, {@link MemoryPurpose#COMPRESSION}) and free them
 * on close. Close every per-use object, or at least stop using it, before {@link #close()}, which
 * frees the filters and closes the file: a lookup after it would probe freed memory.
 */
public final class SstReader implements AutoCloseable {
    final SstFile file;
    final OffHeapAllocator allocator;
    final Footer footer;
    final FileColumn[] columns;
    final RowGroupIndex[] indexes;
    /** Off-heap; freed by {@link #close()}. */
    private final BloomFilters blooms;
    /** The file's format version (from its checksummed trailer). */
    private final int version;
    private final SstMetadata metadata;

    private SstReader(SstFile file, OffHeapAllocator allocator) {
        this.file = file;
        this.allocator = allocator;
        try (Region buffer = new Region(allocator, MemoryPurpose.SST_READ)) {
            BlockReader in = new BlockReader(file.name());
            long size = file.size();
            if (size < SstLayout.HEADER_BYTES + SstLayout.TRAILER_BYTES) {
                throw new CorruptionException(file.name(), 0, "file of " + size + " bytes is too short to be an SST");
            }
            UnsafeBuffer header = file.read(0, SstLayout.HEADER_BYTES, buffer, "header");
            int headerVersion = header.getInt(SstLayout.HEADER_VERSION_OFFSET);
            checkMagicAndVersion(header.getLong(0), headerVersion, 0);
            long trailerAt = size - SstLayout.TRAILER_BYTES;
            UnsafeBuffer trailer = file.read(trailerAt, SstLayout.TRAILER_BYTES, buffer, "trailer");
            this.version = trailer.getInt(SstLayout.TRAILER_VERSION);
            checkMagicAndVersion(trailer.getLong(SstLayout.TRAILER_MAGIC), version, trailerAt);
            if (Checksums.crc32c(trailer, 0, SstLayout.TRAILER_CRC_COVERED) != trailer.getInt(SstLayout.TRAILER_CRC)) {
                throw new CorruptionException(file.name(), trailerAt, "trailer checksum mismatch");
            }
            if (headerVersion != version) {
                throw new CorruptionException(file.name(), SstLayout.HEADER_VERSION_OFFSET, "header says format version " + headerVersion
                        + ", trailer says " + version);
            }
            in.wrap(trailer, 0, SstLayout.TRAILER_BYTES, trailerAt, "trailer");
            long footerOffset = in.u64("footer offset", SstLayout.HEADER_BYTES, trailerAt);
            int footerLength = in.u32("footer length", trailerAt - footerOffset, trailerAt - footerOffset);
            int footerCrc = in.i32();
            UnsafeBuffer footerBytes = file.read(footerOffset, footerLength, buffer, "footer");
            checkCrc(footerBytes, footerLength, footerCrc, footerOffset, "footer");
            this.footer = Footer.read(in.wrap(footerBytes, 0, footerLength, footerOffset, "footer"), file.name(), footerOffset, version);
            this.columns = FileColumn.of(footer.schema());
            RowGroupInfo[] groups = footer.rowGroups();
            this.indexes = new RowGroupIndex[groups.length];
            for (int g = 0; g < groups.length; g++) {
                RowGroupInfo info = groups[g];
                UnsafeBuffer index = file.read(info.indexOffset(), info.indexLength(), buffer, "index block of row group " + g);
                checkCrc(index, info.indexLength(), info.indexCrc(), info.indexOffset(), "index block of row group " + g);
                in.wrap(index, 0, info.indexLength(), info.indexOffset(), "index block of row group " + g);
                indexes[g] = RowGroupIndex.read(in, columns.length, info.rowCount(), info.dataOffset(), info.dataEnd());
                indexes[g].checkKeyRange(info.keyStats(), file.name(), info.indexOffset(), g);
            }
            this.metadata = new SstMetadata(Path.of(file.name()).getFileName().toString(), file.size(), footer.schema(), footer.rowCount(),
                    footer.minKey(), footer.maxKey(), footer.minSeq(), footer.maxSeq(), indexes.length, List.of(columns), List.of(footer.stats()),
                    footer.keys());
            // Last: nothing after it may throw, so the filters' block is freed by close() or by read() itself.
            this.blooms = BloomFilters.read(file, groups, version >= SstLayout.BLOCKED_BLOOM_VERSION, allocator, buffer, in);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Opens the SST at {@code path}. Throws {@link CorruptionException} naming the file and offset
     * if it is not a well-formed SST of a readable version, {@link io.floe.common.error.FloeIOException}
     * on an I/O error.
     */
    public static SstReader open(Path path, OffHeapAllocator allocator) {
        return new SstReader(new SstFile(path), allocator);
    }

    private void checkMagicAndVersion(long magic, int version, long at) {
        if (magic != SstLayout.MAGIC) {
            throw new CorruptionException(file.name(), at, "wrong magic " + Long.toHexString(magic) + ": not a Floe SST");
        }
        if (version < SstLayout.MIN_READABLE_VERSION || version > SstLayout.VERSION) {
            throw new CorruptionException(file.name(), at, "SST format version " + version + " is not readable by this build (reads "
                    + SstLayout.MIN_READABLE_VERSION + " to " + SstLayout.VERSION + ")");
        }
    }

    private void checkCrc(UnsafeBuffer bytes, int length, int expected, long at, String what) {
        int crc = Checksums.crc32c(bytes, 0, length);
        if (crc != expected) {
            throw new CorruptionException(file.name(), at, "checksum mismatch in " + what + ": stored " + Integer.toHexString(expected)
                    + ", computed " + Integer.toHexString(crc));
        }
    }

    public Schema schema() {
        return footer.schema();
    }

    /** Returns the file's metadata, as the writer returned it. */
    public SstMetadata metadata() {
        return metadata;
    }

    /** Returns the physical columns: _key, _seq, _kind, then the schema's. */
    public List<FileColumn> columns() {
        return List.of(columns);
    }

    int rowGroupCount() {
        return indexes.length;
    }

    /** Returns false iff no row of the file can satisfy {@code predicate}, by the file's statistics. */
    public boolean mightMatch(Predicate predicate) {
        BoundPredicate bound = BoundPredicate.bind(predicate, this);
        return bound.mightMatch(footer.stats());
    }

    /** Returns iff the bloom filter of row group {@code g} may hold the key with {@code hash}. */
    boolean bloomMayContain(int g, long hash) {
        return blooms.mayContain(g, hash);
    }

    /** Returns the off-heap bytes this reader's bloom filters take (0 if the file has none). */
    public long bloomBytes() {
        return blooms.bytes();
    }

    /** Returns the file's SST format version ({@link SstLayout#MIN_READABLE_VERSION} to {@link SstLayout#VERSION}). */
    public int version() {
        return version;
    }

    /** Returns the first row group whose last key is &gt;= {@code key}, or the group count if none. */
    int findRowGroup(DirectBuffer key, int offset, int length) {
        int lo = 0;
        int hi = indexes.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            byte[] max = footer.rowGroups()[mid].keyStats().max();
            if (ByteComparisons.compare(key, offset, length, max) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Returns the first page of group {@code g} whose last key is &gt;= {@code key}, or the page count if none. */
    int findPage(int g, DirectBuffer key, int offset, int length) {
        RowGroupIndex index = indexes[g];
        int lo = 0;
        int hi = index.pageCount();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (index.keys().compareWithMax(mid, key, offset, length) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Returns a new point-lookup object; close it before the reader. */
    public PointLookup newLookup() {
        return new PointLookup(this, null);
    }

    /**
     * Returns a new point-lookup object that takes its decoded pages from {@code cache} (shared with
     * the other lookups of its owner); close it before the reader and the cache. Close it when
     * the file is no longer read: that drops its pages from the cache.
     */
    public PointLookup newLookup(PageCache cache) {
        return new PointLookup(this, java.util.Objects.requireNonNull(cache, "cache"));
    }

    /** Returns a new iterator over every entry; close it before the reader. */
    public EntryIterator newIterator() {
        return new EntryIterator(this);
    }

    /** Starts a column-batch scan; close it before the reader. */
    public SstScan scan(ScanSpec spec) {
        return new SstScan(this, spec);
    }

    /**
     * Closes the file and frees the bloom filters. Requires: no lookup, iterator or scan of this
     * reader is used again. Idempotent.
     */
    @Override
    public void close() {
        try {
            file.close();
        } finally {
            blooms.close();
        }
    }
}
