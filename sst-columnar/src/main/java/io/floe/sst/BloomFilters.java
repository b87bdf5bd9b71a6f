package io.floe.sst;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bloom filters of one open SST, one per row group that has one, held off-heap: {@link #read}
 * checks each filter block against its checksum and its layout ({@link SstLayout}) and copies it
 * into one block of the reader's allocator that holds every filter of the file, each at an 8-byte
 * aligned offset. Opening a file thus allocates no heap memory in proportion to its keys (the
 * background thread opens every flush and compaction output it compacts later).
 *
 * <p>Memory: the block is allocated by {@link #read} ({@link MemoryPurpose#SST_READ}) and freed by
 * {@link #close()}, which the owning {@link SstReader} calls in its own {@code close()}. The block
 * must outlive every probe: {@link SstReader#close()} requires that no lookup of the reader is in
 * use (in the kernel a reader is closed only when no pinned version names its file). Filters
 * above {@link #ONE_BLOCK_BYTES} in all (files far larger than Floe writes) take one block each.
 *
 * <p>Threads: {@link #mayContain} is safe from any thread once the filters are published (the
 * words are written by {@link #read} before the reader is handed to another thread through a
 * safe publication, and never written again); {@link #close()} once, after every probe.
 */
final class BloomFilters implements AutoCloseable {
    /** The most bytes of filters kept in one block; more take a block per filter (each at most {@link SstLayout#MAX_BLOCK_BYTES}). */
    static final long ONE_BLOCK_BYTES = 1L << 30;

    private static final OffHeapBlock[] NO_BLOCKS = {};

    /** Whether the filters are {@link BlockedBloomFilter}s (format version 2 and later), else {@link BloomFilter}s. */
    private final boolean blocked;
    /** A view of each row group's filter block ({@code u32 k, u32 numWords, u64 word[]}), null if the group has none. */
    private final UnsafeBuffer[] filters;
    private final OffHeapBlock[] blocks;
    /** Set by {@link #close()} before the blocks are freed; read only by assertions in {@link #mayContain}. */
    private volatile boolean closed;

    private BloomFilters(boolean blocked, UnsafeBuffer[] filters, OffHeapBlock[] blocks) {
        this.blocked = blocked;
        this.filters = filters;
        this.blocks = blocks;
    }

    /**
     * Reads, checks and keeps the filters of {@code groups} of {@code file}, using {@code scratch}
     * for the reads. Throws {@link CorruptionException} naming the file and offset if a filter
     * block is damaged or the filters claim more bytes than the file has,
     * {@link io.floe.common.error.MemoryLimitException} if the allocator's limit refuses the block
     * (nothing stays allocated then).
     */
    static BloomFilters read(SstFile file, RowGroupInfo[] groups, boolean blocked, OffHeapAllocator allocator, Region scratch,
                             BlockReader in) {
        long total = 0;
        for (RowGroupInfo info : groups) {
            total += aligned(info.bloomLength());
            if (total > file.size()) {
                // Each filter lies in its own row group, so together they cannot exceed the file.
                throw new CorruptionException(file.name(), info.bloomOffset(), "bloom filters of " + total
                        + " bytes or more do not fit in the file of " + file.size() + " bytes");
            }
        }
        UnsafeBuffer[] filters = new UnsafeBuffer[groups.length];
        if (total == 0) {
            return new BloomFilters(blocked, filters, NO_BLOCKS);
        }
        boolean oneBlock = total <= ONE_BLOCK_BYTES;
        OffHeapBlock[] blocks = new OffHeapBlock[oneBlock ? 1 : groups.length];
        try {
            if (oneBlock) {
                blocks[0] = allocator.allocate(MemoryPurpose.SST_READ, (int) total);
            }
            int at = 0;
            for (int g = 0; g < groups.length; g++) {
                RowGroupInfo info = groups[g];
                int length = info.bloomLength();
                if (length == 0) {
                    continue;
                }
                UnsafeBuffer checked = readOne(file, info, g, blocked, scratch, in);
                OffHeapBlock block;
                if (oneBlock) {
                    block = blocks[0];
                } else {
                    block = blocks[g] = allocator.allocate(MemoryPurpose.SST_READ, length);
                    at = 0;
                }
                block.buffer().putBytes(at, checked, 0, length);
                filters[g] = new UnsafeBuffer(block.buffer(), at, length);
                at += (int) aligned(length);
            }
        } catch (RuntimeException | Error e) {
            free(blocks);
            throw e;
        }
        return new BloomFilters(blocked, filters, blocks);
    }

    private static long aligned(int length) {
        return (length + 7L) & ~7L;
    }

    /** Reads the filter block of group {@code g} into {@code scratch}, checks it and returns the view. */
    private static UnsafeBuffer readOne(SstFile file, RowGroupInfo info, int g, boolean blocked, Region scratch, BlockReader in) {
        String what = "bloom filter of row group " + g;
        UnsafeBuffer bytes = file.read(info.bloomOffset(), info.bloomLength(), scratch, what);
        int crc = Checksums.crc32c(bytes, 0, info.bloomLength());
        if (crc != info.bloomCrc()) {
            throw new CorruptionException(file.name(), info.bloomOffset(), "checksum mismatch in " + what + ": stored "
                    + Integer.toHexString(info.bloomCrc()) + ", computed " + Integer.toHexString(crc));
        }
        in.wrap(bytes, 0, info.bloomLength(), info.bloomOffset(), what);
        int words;
        if (blocked) {
            in.u32("bloom probes", 1, BlockedBloomFilter.MAX_PROBES);
            words = in.u32("bloom words", BlockedBloomFilter.BLOCK_WORDS, (info.bloomLength() - 8) / 8);
            if (words % BlockedBloomFilter.BLOCK_WORDS != 0) {
                throw new CorruptionException(file.name(), in.fileOffset() - 4, what + ": " + words + " words are not whole blocks of "
                        + BlockedBloomFilter.BLOCK_WORDS);
            }
        } else {
            in.u32("bloom probes", 1, 30);
            words = in.u32("bloom words", 1, (info.bloomLength() - 8) / 8);
        }
        in.take((long) words << 3);
        in.expectEnd();
        return bytes;
    }

    /**
     * Returns false iff row group {@code g}'s filter rules out the key with {@code hash}; true if the
     * group has no filter. Requires: {@link #close()} not called (asserted with {@code -ea}).
     * Allocates nothing.
     */
    boolean mayContain(int g, long hash) {
        UnsafeBuffer b = filters[g];
        if (b == null) {
            return true;
        }
        assert !closed : "a bloom filter probed after its reader closed";
        if (blocked) {
            return BlockedBloomFilter.mayContain(b, 8, b.getInt(4) / BlockedBloomFilter.BLOCK_WORDS, b.getInt(0), hash);
        }
        return BloomFilter.mayContain(b, 8, b.getInt(4), b.getInt(0), hash);
    }

    /** Returns the off-heap bytes the filters take (0 without filters). */
    long bytes() {
        long bytes = 0;
        for (OffHeapBlock b : blocks) {
            if (b != null) {
                bytes += b.capacity();
            }
        }
        return bytes;
    }

    /** Frees the filters' memory. Requires: no probe runs or follows. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // The views are not re-wrapped: another thread could see a torn (array, address) pair. The
        // caller's contract keeps probes away; assertions catch a probe that comes later.
        free(blocks);
    }

    private static void free(OffHeapBlock[] blocks) {
        for (OffHeapBlock b : blocks) {
            if (b != null) {
                b.close();
            }
        }
    }
}
