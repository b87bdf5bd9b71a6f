package io.floe.common.memory;

import io.floe.common.error.MemoryLimitException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one way Floe allocates off-heap memory. Counts live bytes by {@link MemoryPurpose}, enforces
 * an optional byte limit, remembers every live block so that leaks can be reported, and frees
 * explicitly (no reliance on GC or cleaners).
 *
 * <p>Memory: blocks are direct {@link ByteBuffer}s (zeroed, at least 8-byte aligned) released with
 * {@link BufferUtil#free(ByteBuffer)} when {@link OffHeapBlock#close()} is called. Allocation is
 * for coarse blocks (arena chunks, page buffers), not per entry: it takes a lock-free counter
 * update and one concurrent-set insert. Freed blocks of 64 KiB to 32 MiB are kept, up to 32 MiB in
 * all, and handed out again (zeroed) for an allocation of the same size: every flush and compaction
 * grows its writer's buffers through the same sizes, and fresh memory for them cost page faults
 * and kernel zeroing (a third of a compaction's system time). Kept blocks are not live (not counted
 * against the limit); {@link #close()} frees them, and a dropped allocator's are freed with it by
 * the buffers' cleaners.
 *
 * <p>Threads: every method is safe to call from any thread.
 *
 * <p>Leaks: {@link #leakReport()} lists the live blocks; {@link #close()} throws if any remain.
 * With the system property {@code floe.memory.trace=true} each block also records the stack that
 * allocated it, and the report shows it.
 */
public final class OffHeapAllocator implements AutoCloseable {
    private static final boolean TRACE = Boolean.getBoolean("floe.memory.trace");
    private static final OffHeapAllocator SHARED = new OffHeapAllocator("shared", Long.MAX_VALUE);

    private final String name;
    private final long limitBytes;
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong peakBytes = new AtomicLong();
    private final AtomicLongArray bytesByPurpose = new AtomicLongArray(MemoryPurpose.values().length);
    private final Set<OffHeapBlock> live = ConcurrentHashMap.newKeySet();
    /** Freed blocks kept for reuse, by exact size; {@link #spareBytes} in all (at most {@link #MAX_SPARE_BYTES}). */
    private final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<ByteBuffer>> spares = new ConcurrentHashMap<>();
    private final AtomicLong spareBytes = new AtomicLong();

    /** The smallest freed block kept for reuse: smaller ones come cheaply from malloc's own free lists. */
    static final int MIN_SPARE_BYTES = 64 << 10;
    /** The most bytes of freed blocks kept for reuse per allocator. */
    static final long MAX_SPARE_BYTES = 32L << 20;

    /**
     * Requires: {@code limitBytes > 0}.
     *
     * @param name       names the allocator in messages and reports
     * @param limitBytes the most live bytes at once; {@link Long#MAX_VALUE} for no limit
     */
    public OffHeapAllocator(String name, long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("limitBytes must be > 0, got " + limitBytes);
        }
        this.name = name;
        this.limitBytes = limitBytes;
    }

    /** Returns the process-wide allocator without a limit, for callers that are not given one. */
    public static OffHeapAllocator shared() {
        return SHARED;
    }

    /**
     * Returns a new zeroed block of {@code size} bytes.
     *
     * <p>Requires: {@code size >= 0}. Throws {@link MemoryLimitException} if the block would take
     * the live bytes past the limit (nothing is allocated then).
     */
    public OffHeapBlock allocate(MemoryPurpose purpose, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        reserve(size);
        ByteBuffer byteBuffer = takeSpare(size);
        try {
            if (byteBuffer == null) {
                byteBuffer = ByteBuffer.allocateDirect(size);
            }
        } catch (OutOfMemoryError e) {
            totalBytes.addAndGet(-size);
            throw new MemoryLimitException("allocator '" + name + "': the JVM has no direct memory left for "
                    + size + " bytes of " + purpose + " (raise -XX:MaxDirectMemorySize): " + e.getMessage());
        }
        bytesByPurpose.addAndGet(purpose.ordinal(), size);
        OffHeapBlock block = new OffHeapBlock(this, purpose, byteBuffer, TRACE ? new Throwable("allocated here") : null);
        live.add(block);
        return block;
    }

    private void reserve(int size) {
        while (true) {
            long current = totalBytes.get();
            long next = current + size;
            if (next > limitBytes || next < 0) {
                throw new MemoryLimitException("allocator '" + name + "': " + size + " more bytes would exceed the limit of "
                        + limitBytes + " (" + current + " in use)");
            }
            if (totalBytes.compareAndSet(current, next)) {
                peakBytes.accumulateAndGet(next, Math::max);
                return;
            }
        }
    }

    void free(OffHeapBlock block) {
        if (!block.markFreed()) {
            throw new IllegalStateException("double free of " + block + " from allocator '" + name + "'");
        }
        live.remove(block);
        int size = block.capacity();
        bytesByPurpose.addAndGet(block.purpose().ordinal(), -size);
        totalBytes.addAndGet(-size);
        if (!keepSpare(block.byteBuffer())) {
            BufferUtil.free(block.byteBuffer());
        }
    }

    /**
     * Returns a kept buffer of exactly {@code size} bytes, zeroed, or null if none is kept. Blocks of
     * a size the allocator handed out before are common: a writer's buffers grow through the same
     * sizes file after file.
     */
    private ByteBuffer takeSpare(int size) {
        if (size < MIN_SPARE_BYTES) {
            return null;
        }
        ConcurrentLinkedQueue<ByteBuffer> kept = spares.get(size);
        ByteBuffer b = kept == null ? null : kept.poll();
        if (b == null) {
            return null;
        }
        spareBytes.addAndGet(-size);
        // As allocateDirect gives it: zeroed, position 0, limit = capacity, big-endian.
        new UnsafeBuffer(b).setMemory(0, size, (byte) 0);
        b.clear().order(ByteOrder.BIG_ENDIAN);
        return b;
    }

    /** Keeps {@code b} for a later allocation of its size if it is large enough and the spares have room; returns iff kept. */
    private boolean keepSpare(ByteBuffer b) {
        int size = b.capacity();
        if (size < MIN_SPARE_BYTES) {
            return false;
        }
        while (true) {
            long current = spareBytes.get();
            if (current + size > MAX_SPARE_BYTES) {
                return false;
            }
            if (spareBytes.compareAndSet(current, current + size)) {
                break;
            }
        }
        spares.computeIfAbsent(size, k -> new ConcurrentLinkedQueue<>()).add(b);
        return true;
    }

    /** Returns the bytes of freed blocks kept for reuse (not live: not in {@link #allocatedBytes()}). */
    public long spareBytes() {
        return spareBytes.get();
    }

    /** Returns the live bytes of all purposes. */
    public long allocatedBytes() {
        return totalBytes.get();
    }

    /** Returns the live bytes allocated for {@code purpose}. */
    public long allocatedBytes(MemoryPurpose purpose) {
        return bytesByPurpose.get(purpose.ordinal());
    }

    /** Returns the most live bytes seen at once. */
    public long peakBytes() {
        return peakBytes.get();
    }

    public long limitBytes() {
        return limitBytes;
    }

    public String name() {
        return name;
    }

    /** Returns the live bytes of each purpose that has any. */
    public Map<MemoryPurpose, Long> usage() {
        Map<MemoryPurpose, Long> usage = new EnumMap<>(MemoryPurpose.class);
        for (MemoryPurpose p : MemoryPurpose.values()) {
            long bytes = bytesByPurpose.get(p.ordinal());
            if (bytes != 0) {
                usage.put(p, bytes);
            }
        }
        return usage;
    }

    /** Returns the number of live blocks. */
    public int liveBlocks() {
        return live.size();
    }

    /** Returns a description of every live block, empty iff none is live. */
    public String leakReport() {
        if (live.isEmpty()) {
            return "";
        }
        List<OffHeapBlock> blocks = new ArrayList<>(live);
        StringBuilder report = new StringBuilder();
        report.append("allocator '").append(name).append("' has ").append(blocks.size()).append(" live blocks, ")
                .append(totalBytes.get()).append(" bytes ").append(usage()).append('\n');
        int shown = 0;
        for (OffHeapBlock block : blocks) {
            if (shown++ == 20) {
                report.append("  ...\n");
                break;
            }
            report.append("  ").append(block).append('\n');
            Throwable site = block.allocationSite();
            if (site != null) {
                for (StackTraceElement e : site.getStackTrace()) {
                    report.append("      at ").append(e).append('\n');
                }
            }
        }
        if (!TRACE) {
            report.append("  (run with -Dfloe.memory.trace=true to see where each block was allocated)\n");
        }
        return report.toString();
    }

    /** Throws {@link IllegalStateException} with the {@link #leakReport()} if any block is live. */
    public void assertNoLeaks() {
        String report = leakReport();
        if (!report.isEmpty()) {
            throw new IllegalStateException("off-heap memory leak: " + report);
        }
    }

    /**
     * Checks that every block was freed. Throws {@link IllegalStateException} naming the live
     * blocks if not (they stay allocated: freeing memory a reader may still use would be worse).
     */
    @Override
    public void close() {
        assertNoLeaks();
        for (ConcurrentLinkedQueue<ByteBuffer> kept : spares.values()) {
            for (ByteBuffer b = kept.poll(); b != null; b = kept.poll()) {
                spareBytes.addAndGet(-b.capacity());
                BufferUtil.free(b);
            }
        }
    }

    @Override
    public String toString() {
        return "OffHeapAllocator{" + name + ", " + totalBytes.get() + " live bytes, limit " + limitBytes + "}";
    }
}
