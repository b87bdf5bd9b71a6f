package io.floe.memtable;

import static io.floe.memtable.Arena.NIL;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.error.ClosedException;
import io.floe.common.error.MemoryLimitException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.DirectBuffer;

/**
 * An off-heap, concurrent, sorted table of multi-version entries {@code (key, seq, kind, value)},
 * ordered by key ascending (unsigned bytes; callers encode keys memcomparable) then seq
 * descending. The write buffer of one LSM bucket: inserted into until {@link InsertStatus#FULL},
 * then read and flushed while new writes go to a fresh memtable.
 *
 * <p>Memory: allocated from the {@link OffHeapAllocator} given to {@link #create} (purpose
 * {@link MemoryPurpose#MEMTABLE}), in chunks, never more than
 * {@link MemtableOptions#memoryLimitBytes()}. It is freed, all of it, when the last reference is
 * given back. References: the creator holds one, given back by {@link #close()}; {@link #retain()}
 * takes another, {@link #release()} gives it back; each open cursor holds one. So the kernel may
 * {@code close()} a flushed memtable while readers still iterate it: the memory outlives them.
 * Every view ({@link EntryView}, cursor keys and values) is valid only while its holder has a
 * reference.
 *
 * <p>Threads: every method is safe from any thread, with these rules. {@link #insert} uses the
 * memtable's own scratch state, so one thread at a time calls it (the bucket's writer); more
 * writers each take a {@link #newWriter()}, and all of them insert concurrently (lock-free). Reads
 * ({@link #get}, cursors) never block and run concurrently with inserts; each sees a sorted view
 * that holds every entry whose insert returned before the read started. Requires (every read and
 * insert): the caller holds a reference for the whole call. Checks: a call after the last reference
 * is gone throws {@link ClosedException}, and so does an insert after {@code close()}; these are
 * one acquire load each, not a guard against a {@code close()} racing with the call.
 *
 * <p>Memory ordering: see {@link NodeLayout} (node links), {@link ArenaSkipList} (height and
 * statistics) and {@link Arena} (allocation). The reference count and the closed flag are changed
 * by compare-and-set and read with acquire; the final {@code release()} frees the arena after
 * every earlier release, so every reader's last access happens-before the free.
 */
public final class Memtable implements AutoCloseable {
    private static final VarHandle REF_COUNT;
    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REF_COUNT = lookup.findVarHandle(Memtable.class, "refCount", int.class);
            CLOSED = lookup.findVarHandle(Memtable.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The longest shared key prefix {@link #sharedKeyPrefix} returns. */
    public static final int MAX_SHARED_KEY_PREFIX = 32;

    private final Arena arena;
    private final ArenaSkipList list;
    private final MemtableWriter ownWriter;
    private final long maxEntryBytes;
    /** Accessed only through {@link #REF_COUNT}. */
    @SuppressWarnings("unused")
    private int refCount = 1;
    /** Accessed only through {@link #CLOSED}. */
    @SuppressWarnings("unused")
    private boolean closed;

    private Memtable(Arena arena, byte[] sharedKeyPrefix) {
        this.arena = arena;
        this.list = new ArenaSkipList(arena, sharedKeyPrefix);
        this.ownWriter = new MemtableWriter(this);
        long headroom = NodeLayout.nodeSize(NodeLayout.MAX_HEIGHT, 0, 0) + NodeLayout.ALIGNMENT;
        this.maxEntryBytes = Math.max(0L, arena.maxAllocationWhenEmpty(list.emptyUsedBytes()) - headroom);
    }

    /**
     * Returns a new empty memtable holding one reference (the caller's). Allocates its first chunk.
     * Throws {@link MemoryLimitException} if the allocator cannot supply it.
     */
    public static Memtable create(OffHeapAllocator allocator, MemtableOptions options) {
        return create(allocator, options, new byte[0]);
    }

    /**
     * As {@link #create(OffHeapAllocator, MemtableOptions)}, for keys that mostly start with
     * {@code sharedKeyPrefix} (e.g. {@link #sharedKeyPrefix} of the memtable this one follows):
     * searches then order keys by the bytes after it without loading nodes (see
     * {@link NodeLayout}). Any key may still be inserted; a wrong guess only makes searches slower.
     * The array is copied.
     */
    public static Memtable create(OffHeapAllocator allocator, MemtableOptions options, byte[] sharedKeyPrefix) {
        Arena arena = new Arena(allocator, options);
        try {
            return new Memtable(arena, sharedKeyPrefix);
        } catch (RuntimeException | Error e) {
            arena.free();
            throw e;
        }
    }

    /**
     * Inserts {@code (key, seq, kind, value)}, copying the key and value bytes into the arena.
     * Returns {@link InsertStatus#OK} iff the entry was inserted (visible to reads that start after
     * this returns), {@link InsertStatus#FULL} iff there is no room (nothing is written, no
     * exception), {@link InsertStatus#DUPLICATE} iff an entry with this key and seq is present.
     * Allocates nothing on the heap.
     *
     * <p>Requires: one thread at a time (see {@link #newWriter()} for more); {@code seq >= 0}.
     * Throws {@link ClosedException} if {@link #close()} was called,
     * {@link IndexOutOfBoundsException} if a range lies outside its buffer,
     * {@link IllegalArgumentException} if {@code seq < 0} or {@code keyLength + valueLength >
     * maxEntryBytes()} (such an entry would not fit even an empty memtable).
     */
    public InsertStatus insert(DirectBuffer key, int keyOffset, int keyLength, long seq, RowKind kind,
            DirectBuffer value, int valueOffset, int valueLength) {
        return ownWriter.insert(key, keyOffset, keyLength, seq, kind, value, valueOffset, valueLength);
    }

    InsertStatus insert(int[] prev, long[] next, DirectBuffer key, int keyOffset, int keyLength, long seq, RowKind kind,
            DirectBuffer value, int valueOffset, int valueLength) {
        if ((boolean) CLOSED.getAcquire(this)) {
            throw new ClosedException("memtable");
        }
        key.boundsCheck(keyOffset, keyLength);
        value.boundsCheck(valueOffset, valueLength);
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, got " + seq);
        }
        if ((long) keyLength + valueLength > maxEntryBytes) {
            throw new IllegalArgumentException("a memtable entry of " + keyLength + " key and " + valueLength
                    + " value bytes can never fit a memtable of " + arena.limitBytes() + " bytes (at most "
                    + maxEntryBytes + ")");
        }
        return list.insert(prev, next, key.byteArray(), key.addressOffset() + keyOffset, keyLength, seq, kind.value(),
                value.byteArray(), value.addressOffset() + valueOffset, valueLength);
    }

    /** Returns a writer for one more concurrent writer thread. Throws {@link ClosedException} if closed. */
    public MemtableWriter newWriter() {
        if ((boolean) CLOSED.getAcquire(this)) {
            throw new ClosedException("memtable");
        }
        return new MemtableWriter(this);
    }

    /**
     * Looks up the newest version of {@code key} with {@code seq <= snapshotSeq}. Returns true iff
     * there is one, and then points {@code result} at it (a {@link RowKind#DELETE} is found too: a
     * tombstone); returns false and clears {@code result} otherwise. Allocates nothing.
     *
     * <p>Requires: the caller holds a reference. Throws {@link ClosedException} if no reference is
     * left, {@link IndexOutOfBoundsException} if the range lies outside {@code key}.
     */
    public boolean get(DirectBuffer key, int keyOffset, int keyLength, long snapshotSeq, EntryView result) {
        checkReferenced();
        key.boundsCheck(keyOffset, keyLength);
        Object base = key.byteArray();
        long address = key.addressOffset() + keyOffset;
        int n = list.findGreaterOrEqual(base, address, keyLength, snapshotSeq);
        if (n != NIL) {
            long node = arena.address(n);
            if (NodeLayout.keyLength(node) == keyLength
                    && ByteComparisons.compareUnchecked(null, NodeLayout.keyAddress(node), keyLength, base, address, keyLength) == 0) {
                result.wrap(node);
                return true;
            }
        }
        result.clear();
        return false;
    }

    /**
     * Returns a cursor over every version, holding its own reference until closed.
     * Throws {@link ClosedException} if no reference is left.
     */
    public MemtableIterator newIterator() {
        retain();
        return new MemtableIterator(this, list);
    }

    /**
     * Returns a cursor over the newest version of each key with {@code seq <= snapshotSeq}, holding
     * its own reference until closed. Throws {@link ClosedException} if no reference is left.
     */
    public SnapshotIterator newSnapshotIterator(long snapshotSeq) {
        retain();
        return new SnapshotIterator(this, list, snapshotSeq);
    }

    /** Takes a reference. Throws {@link ClosedException} if none is left (the memory is gone). */
    public void retain() {
        while (true) {
            int count = (int) REF_COUNT.getAcquire(this);
            if (count == 0) {
                throw new ClosedException("memtable");
            }
            if (REF_COUNT.compareAndSet(this, count, count + 1)) {
                return;
            }
        }
    }

    /**
     * Gives back a reference; the last one frees every chunk. Requires: the caller holds a
     * reference. Throws {@link IllegalStateException} if none is left.
     */
    public void release() {
        while (true) {
            int count = (int) REF_COUNT.getAcquire(this);
            if (count == 0) {
                throw new IllegalStateException("memtable released more often than retained");
            }
            if (REF_COUNT.compareAndSet(this, count, count - 1)) {
                if (count == 1) {
                    arena.free();
                }
                return;
            }
        }
    }

    /**
     * Stops inserts and gives back the creator's reference (so the memory is freed now, or when the
     * last reader releases). Calling it again has no effect.
     */
    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            release();
        }
    }

    /** Returns iff {@link #close()} was called. */
    public boolean isClosed() {
        return (boolean) CLOSED.getAcquire(this);
    }

    /** Returns the number of references held; 0 iff the memory is freed. */
    public int refCount() {
        return (int) REF_COUNT.getAcquire(this);
    }

    /** Returns iff the memtable holds no entry. Throws {@link ClosedException} if no reference is left. */
    public boolean isEmpty() {
        checkReferenced();
        return list.first() == NIL;
    }

    /**
     * Returns the bytes that the smallest and the largest key share at their start (at most
     * {@value #MAX_SHARED_KEY_PREFIX}; empty if the memtable is empty): what the keys of the next
     * memtable are likely to start with ({@link #create(OffHeapAllocator, MemtableOptions, byte[])}).
     * Allocates the array. Requires: the caller holds a reference.
     */
    public byte[] sharedKeyPrefix() {
        checkReferenced();
        return list.sharedPrefixOfFirstAndLast(MAX_SHARED_KEY_PREFIX);
    }

    /** Returns the entries inserted (trails in-flight inserts). */
    public long entryCount() {
        return list.entryCount();
    }

    /** Returns the smallest seq inserted, or {@link Long#MAX_VALUE} if none. */
    public long minSeq() {
        return list.minSeq();
    }

    /** Returns the largest seq inserted, or {@link Long#MIN_VALUE} if none. */
    public long maxSeq() {
        return list.maxSeq();
    }

    /**
     * Returns the arena bytes handed out to nodes (with alignment, the head node and abandoned
     * chunk tails); approximate while writers run; 0 once freed.
     */
    public long approximateBytes() {
        return arena.usedBytes();
    }

    /** Returns the bytes taken from the allocator (whole chunks); 0 once freed. */
    public long reservedBytes() {
        return arena.reservedBytes();
    }

    public long memoryLimitBytes() {
        return arena.limitBytes();
    }

    /** Returns the largest {@code keyLength + valueLength} an insert accepts. */
    public long maxEntryBytes() {
        return maxEntryBytes;
    }

    private void checkReferenced() {
        if ((int) REF_COUNT.getAcquire(this) == 0) {
            throw new ClosedException("memtable");
        }
    }

    @Override
    public String toString() {
        return "Memtable{" + entryCount() + " entries, " + approximateBytes() + " of " + memoryLimitBytes()
                + " bytes, refs " + refCount() + (isClosed() ? ", closed" : "") + "}";
    }
}
