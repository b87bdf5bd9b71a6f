package io.floe.memtable;

import io.floe.common.error.ClosedException;
import io.floe.common.error.MemoryLimitException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A bump allocator over off-heap chunks that names memory by 32-bit offsets, for the nodes of one
 * memtable. Memory is handed out and never given back one piece at a time: all of it is freed at
 * once by {@link #free()}.
 *
 * <p>Offsets: the arena has a 32-bit (unsigned) virtual offset space cut into slots of
 * {@code chunkBytes} (a power of two). The slot table maps each used slot to a native address, so
 * {@code address(offset) = slotAddress[offset >>> chunkShift] + (offset & chunkMask)}. Small
 * allocations are bumped out of the current region, a chunk that fills one slot. An allocation
 * larger than a quarter of a chunk gets a dedicated block of exactly its size that fills as many
 * consecutive slots as it needs, each slot mapped to the next {@code chunkBytes} of the block, so
 * its bytes are contiguous in offsets and in memory. Offset {@link #NIL} (0) is never handed out:
 * the first 8 bytes of the first region are skipped.
 *
 * <p>Limit: {@link #allocate} returns {@link #FULL}, and allocates nothing, when the bytes taken
 * from the allocator would pass {@code limitBytes}, when the slot table is used up, or when the
 * {@link OffHeapAllocator} refuses (its own limit). A region started near the limit is cut short to
 * fit it. The unused tail of a region that is left behind for a new one is wasted (at most a
 * quarter of a chunk, since larger allocations do not use regions).
 *
 * <p>Memory: every chunk comes from the {@link OffHeapAllocator} given at construction with
 * {@link MemoryPurpose#MEMTABLE}; {@link #free()} returns all of them. The owner ({@link Memtable})
 * calls {@code free()} only when no reader or writer can touch an address any more.
 *
 * <p>Threads: {@link #allocate} is lock-free on its fast path (a compare-and-set of {@code top})
 * and takes {@code lock} to open a region or a dedicated block; {@link #address} is wait-free; all
 * are safe from any thread. Memory ordering:
 * <ul>
 *   <li>{@code top} (the next free offset of the current region) is read with
 *       {@link #TOP}{@code .getAcquire}, bumped with {@code compareAndSet}, and moved to a new
 *       region with {@code setRelease} after {@code regionEnd} and the slot table entry are
 *       written; so a thread that acquires a {@code top} in a region sees that region's
 *       {@code regionEnd} and slot.
 *   <li>Opening a region first seals the old one ({@code top = SEALED}, by compare-and-set), so a
 *       bump that read the old {@code top} can never succeed against the new {@code regionEnd}.
 *   <li>{@code slotAddress} entries are written once, under {@code lock}, before the offsets in
 *       them are handed out; they are read with plain loads. Any thread that holds an offset got
 *       it from {@code allocate} (after the write, same thread or via {@code top}/the lock) or
 *       through a node link read with acquire that was published with release after the node was
 *       written at that offset: either way the slot write happens-before the read.
 *   <li>{@code reservedBytes} is written under {@code lock} with {@code setRelease} and read with
 *       {@code getAcquire} for statistics.
 * </ul>
 */
final class Arena {
    /** The nil offset. */
    static final int NIL = 0;
    /** What {@link #allocate} returns when the arena is full. */
    static final long FULL = -1L;

    private static final long SEALED = 1L << 62;
    private static final long VIRTUAL_SPACE = 1L << 32;
    private static final VarHandle TOP;
    private static final VarHandle REGION_END;
    private static final VarHandle RESERVED_BYTES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TOP = lookup.findVarHandle(Arena.class, "top", long.class);
            REGION_END = lookup.findVarHandle(Arena.class, "regionEnd", long.class);
            RESERVED_BYTES = lookup.findVarHandle(Arena.class, "reservedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final OffHeapAllocator allocator;
    private final long limitBytes;
    private final int chunkBytes;
    private final int chunkShift;
    private final int chunkMask;
    private final int largeThreshold;
    private final long[] slotAddress;
    private final Object lock = new Object();
    /** Guarded by {@code lock}. */
    private final List<OffHeapBlock> blocks = new ArrayList<>();
    /** Guarded by {@code lock}. */
    private int nextSlot;
    /** Guarded by {@code lock}. */
    private boolean freed;

    /** Accessed only through {@link #TOP}. */
    @SuppressWarnings("unused")
    private long top;
    /** Accessed only through {@link #REGION_END}. */
    @SuppressWarnings("unused")
    private long regionEnd;
    /** Accessed only through {@link #RESERVED_BYTES}. */
    @SuppressWarnings("unused")
    private long reservedBytes;

    /**
     * Allocates the first region. Requires: {@code options} valid (see {@link MemtableOptions}).
     * Throws {@link MemoryLimitException} if the allocator cannot supply the first region.
     */
    Arena(OffHeapAllocator allocator, MemtableOptions options) {
        this.allocator = allocator;
        this.limitBytes = options.memoryLimitBytes();
        this.chunkBytes = options.chunkBytes();
        this.chunkShift = Integer.numberOfTrailingZeros(chunkBytes);
        this.chunkMask = chunkBytes - 1;
        this.largeThreshold = chunkBytes / 4;
        long maxSlots = VIRTUAL_SPACE >>> chunkShift;
        long wantedSlots = 4 * ((limitBytes + chunkBytes - 1) / chunkBytes) + 4;
        this.slotAddress = new long[(int) Math.min(maxSlots, wantedSlots)];
        synchronized (lock) {
            int size = (int) Math.min(chunkBytes, limitBytes);
            OffHeapBlock block = allocator.allocate(MemoryPurpose.MEMTABLE, size);
            blocks.add(block);
            slotAddress[0] = block.address();
            nextSlot = 1;
            RESERVED_BYTES.setRelease(this, (long) size);
            REGION_END.setRelease(this, (long) size);
            TOP.setRelease(this, 8L);
        }
    }

    /**
     * Returns the offset of {@code size} fresh bytes, or {@link #FULL} if they cannot be had within
     * the limit (nothing is allocated then). The bytes are zero: every block comes zeroed from the
     * allocator and each byte is handed out once.
     *
     * <p>Requires: {@code size > 0} and a multiple of {@link NodeLayout#ALIGNMENT}. Throws
     * {@link ClosedException} if the arena was freed and the fast path cannot serve the request.
     */
    long allocate(int size) {
        while (true) {
            long t = (long) TOP.getAcquire(this);
            long end = t + size;
            if (end > (long) REGION_END.getAcquire(this)) {
                return allocateSlow(size);
            }
            if (TOP.compareAndSet(this, t, end)) {
                return t;
            }
        }
    }

    private long allocateSlow(int size) {
        synchronized (lock) {
            if (freed) {
                throw new ClosedException("memtable arena");
            }
            if (size > largeThreshold) {
                return allocateDedicated(size);
            }
            // Another writer may have opened a region while this one waited for the lock.
            while (true) {
                long t = (long) TOP.getAcquire(this);
                if (t + size > (long) REGION_END.getAcquire(this)) {
                    break;
                }
                if (TOP.compareAndSet(this, t, t + size)) {
                    return t;
                }
            }
            long remaining = limitBytes - (long) RESERVED_BYTES.getAcquire(this);
            int regionSize = (int) Math.min(chunkBytes, remaining);
            if (regionSize < size || nextSlot >= slotAddress.length) {
                return FULL;
            }
            OffHeapBlock block = tryAllocateBlock(regionSize);
            if (block == null) {
                return FULL;
            }
            int slot = nextSlot++;
            slotAddress[slot] = block.address();
            long start = (long) slot << chunkShift;
            RESERVED_BYTES.setRelease(this, (long) RESERVED_BYTES.getAcquire(this) + regionSize);
            // Seal the old region first: a writer that read the old top must fail its bump.
            while (true) {
                long t = (long) TOP.getAcquire(this);
                if (TOP.compareAndSet(this, t, SEALED)) {
                    break;
                }
            }
            REGION_END.setRelease(this, start + regionSize);
            TOP.setRelease(this, start + size);
            return start;
        }
    }

    /** Requires: holds {@code lock}. */
    private long allocateDedicated(int size) {
        int slots = (int) (((long) size + chunkBytes - 1) >>> chunkShift);
        long reserved = (long) RESERVED_BYTES.getAcquire(this);
        if (reserved + size > limitBytes || nextSlot + slots > slotAddress.length) {
            return FULL;
        }
        OffHeapBlock block = tryAllocateBlock(size);
        if (block == null) {
            return FULL;
        }
        int first = nextSlot;
        for (int i = 0; i < slots; i++) {
            slotAddress[first + i] = block.address() + ((long) i << chunkShift);
        }
        nextSlot = first + slots;
        RESERVED_BYTES.setRelease(this, reserved + size);
        return (long) first << chunkShift;
    }

    /** Requires: holds {@code lock}. Returns null iff the allocator refuses. */
    private OffHeapBlock tryAllocateBlock(int size) {
        OffHeapBlock block;
        try {
            block = allocator.allocate(MemoryPurpose.MEMTABLE, size);
        } catch (MemoryLimitException e) {
            // The allocator's own limit (shared by many memtables) is a "full" arena too; not on
            // the hot path: at most once per region.
            return null;
        }
        blocks.add(block);
        return block;
    }

    /**
     * Returns the native address of {@code offset}.
     * Requires: {@code offset} was returned by {@link #allocate} (or lies inside such an
     * allocation) and the arena is not freed.
     */
    long address(int offset) {
        return slotAddress[offset >>> chunkShift] + (offset & chunkMask);
    }

    /** Returns the bytes taken from the allocator. */
    long reservedBytes() {
        return (long) RESERVED_BYTES.getAcquire(this);
    }

    /**
     * Returns the bytes handed out (including alignment and abandoned region tails): the reserved
     * bytes less the free tail of the current region. Approximate while writers run.
     */
    long usedBytes() {
        long reserved = (long) RESERVED_BYTES.getAcquire(this);
        long t = (long) TOP.getAcquire(this);
        long free = Math.max(0L, (long) REGION_END.getAcquire(this) - t);
        return Math.max(0L, reserved - free);
    }

    long limitBytes() {
        return limitBytes;
    }

    /**
     * Returns the largest size {@link #allocate} can serve in an arena that has handed out only
     * {@code emptyUsed} bytes of its first region (what an empty memtable holds): either a
     * dedicated block within the limit, or a region-sized piece.
     */
    long maxAllocationWhenEmpty(long emptyUsed) {
        long firstRegion = Math.min(chunkBytes, limitBytes);
        long rest = limitBytes - firstRegion;
        if (rest > largeThreshold) {
            return rest;
        }
        return Math.min(largeThreshold, Math.max(firstRegion - emptyUsed, Math.min(chunkBytes, rest)));
    }

    /**
     * Returns every block to the allocator. After this every address is invalid and every
     * {@link #allocate} throws {@link ClosedException}. Calling it twice has no further effect.
     * Requires: no thread reads or writes arena memory any more.
     */
    void free() {
        synchronized (lock) {
            if (freed) {
                return;
            }
            freed = true;
            TOP.setRelease(this, SEALED);
            REGION_END.setRelease(this, 0L);
            for (OffHeapBlock block : blocks) {
                block.close();
            }
            blocks.clear();
            RESERVED_BYTES.setRelease(this, 0L);
        }
    }
}
