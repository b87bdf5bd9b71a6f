package io.floe.sst;

import io.floe.common.error.MemoryLimitException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;

/**
 * A bounded cache of decoded pages for point lookups, keyed by (file, row group, page, column):
 * a lookup that lands on a page some earlier lookup decoded reads it from here, without the read,
 * checksum, decompression and decode of the page. Least recently used pages are evicted once the
 * decoded bytes pass the budget; their buffers are reused for the next page decoded.
 *
 * <pre>
 * try (PageCache cache = new PageCache(allocator, 64 &lt;&lt; 20);
 *      PointLookup lookup = reader.newLookup(cache)) {   // one lookup per file, all sharing the cache
 *     lookup.get(key, 0, keyLength, snapshotSeq);
 * }
 * </pre>
 *
 * <p>Lifetime of a page: a page handed out stays valid until the next {@link #beginUse()} (every
 * {@link PointLookup#get} begins one): pages used since the last {@code beginUse} are never evicted,
 * so one lookup may take the cache past its budget by the pages it touches (usually one per column).
 * Pages of a file leave the cache when the {@link PointLookup} that registered the file closes
 * ({@link #unregister}), so a file removed by compaction leaves no pages behind once its lookup is
 * closed; a file's pages are never shared with another file (each registration has its own table).
 *
 * <p>Memory: decoded vectors off-heap from the allocator ({@link MemoryPurpose#SST_READ}), one I/O
 * and decompression scratch shared by every file; about {@link #budgetBytes()} plus one lookup's
 * pages plus two spare vectors at most; {@link #close()} frees all. A {@link MemoryLimitException}
 * while decoding empties the cache of every page not in use and retries once.
 *
 * <p>Threads: single owner, like the lookups that share it. After warm-up a hit allocates nothing;
 * a miss allocates nothing once the cache is full (it reuses an evicted page's buffers and entry).
 */
public final class PageCache implements AutoCloseable {
    private final OffHeapAllocator allocator;
    private long budgetBytes;
    private final PageReader pages;
    /** Most recently used first; {@code head.next} is the newest, {@code head.prev} the oldest. */
    private final Entry head = new Entry();
    private Entry freeEntries;
    private ValueVector spareFixed;
    private ValueVector spareVariable;
    private long bytes;
    private long epoch = 1;
    private long hits;
    private long misses;
    private long evictions;
    private int entries;
    private boolean closed;

    /** Requires: {@code budgetBytes >= 0} (0 caches nothing beyond the pages of the lookup under way). */
    public PageCache(OffHeapAllocator allocator, long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budgetBytes must be >= 0, got " + budgetBytes);
        }
        this.allocator = allocator;
        this.budgetBytes = budgetBytes;
        this.pages = new PageReader(allocator);
        head.next = head;
        head.prev = head;
    }

    /** One cached page; also the LRU list node. */
    private static final class Entry {
        Entry prev;
        Entry next;
        FileSlots owner;
        int group;
        int slot;
        ValueVector vector;
        long bytes;
        long usedEpoch;
    }

    /** The cached pages of one registered file: {@code slots[g][p * columns + c]}. */
    static final class FileSlots {
        final SstReader reader;
        final BlockReader block;
        final Entry[][] slots;
        final String[] what;
        final int columns;
        boolean registered = true;

        FileSlots(SstReader reader) {
            this.reader = reader;
            this.block = new BlockReader(reader.file.name());
            this.columns = reader.columns.length;
            this.slots = new Entry[reader.indexes.length][];
            this.what = new String[columns];
            for (int c = 0; c < columns; c++) {
                what[c] = "a page of column '" + reader.columns[c].name() + "'";
            }
        }
    }

    /** Returns the budget of decoded bytes. */
    public long budgetBytes() {
        return budgetBytes;
    }

    /**
     * Sets the budget of decoded bytes; pages over it are evicted by the next lookup.
     * Requires: {@code budgetBytes >= 0}.
     */
    public void setBudgetBytes(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("budgetBytes must be >= 0, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** Returns the off-heap bytes of the cached pages. */
    public long bytes() {
        return bytes;
    }

    public int entries() {
        return entries;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long evictions() {
        return evictions;
    }

    /** Returns the number of cached pages handed out since the last {@link #beginUse()} (for tests). */
    int entriesInUse() {
        int n = 0;
        for (Entry e = head.next; e != head; e = e.next) {
            n += e.usedEpoch == epoch ? 1 : 0;
        }
        return n;
    }

    /** Starts a new use: pages handed out before it may be evicted from now on; evicts any over the budget. */
    void beginUse() {
        epoch++;
        if (bytes > budgetBytes) {
            evictOverBudget();
        }
    }

    /** Registers {@code reader}'s file; its pages live until {@link #unregister}. */
    FileSlots register(SstReader reader) {
        checkOpen();
        return new FileSlots(reader);
    }

    /** Frees every cached page of {@code file}. Idempotent. */
    void unregister(FileSlots file) {
        if (!file.registered) {
            return;
        }
        file.registered = false;
        if (closed) {
            return;
        }
        for (Entry[] group : file.slots) {
            if (group == null) {
                continue;
            }
            for (Entry e : group) {
                if (e != null) {
                    remove(e);
                    release(e);
                }
            }
        }
    }

    /**
     * Returns column {@code c} of page {@code p} of row group {@code g} of {@code file}, decoded,
     * valid until the next {@link #beginUse()}. Throws {@link io.floe.common.error.CorruptionException}
     * naming the file and offset if the page is corrupt (nothing is cached then).
     * Requires: {@code file} is registered here and not unregistered.
     */
    ValueVector column(FileSlots file, ScanStats stats, int g, int p, int c) {
        Entry[] group = file.slots[g];
        if (group == null) {
            group = new Entry[file.reader.indexes[g].pageCount() * file.columns];
            file.slots[g] = group;
        }
        int slot = p * file.columns + c;
        Entry e = group[slot];
        if (e != null) {
            hits++;
            e.usedEpoch = epoch;
            if (head.next != e) {
                unlink(e);
                linkFirst(e);
            }
            return e.vector;
        }
        misses++;
        ValueVector v = decode(file, stats, g, p, c);
        e = freeEntries;
        if (e != null) {
            freeEntries = e.next;
        } else {
            e = new Entry();
        }
        e.owner = file;
        e.group = g;
        e.slot = slot;
        e.vector = v;
        e.bytes = v.capacityBytes();
        e.usedEpoch = epoch;
        group[slot] = e;
        linkFirst(e);
        entries++;
        bytes += e.bytes;
        evictOverBudget();
        return v;
    }

    private ValueVector decode(FileSlots file, ScanStats stats, int g, int p, int c) {
        try {
            return decodeOnce(file, stats, g, p, c);
        } catch (MemoryLimitException e) {
            evictUnused();
            return decodeOnce(file, stats, g, p, c);
        }
    }

    /** Decodes the page into a spare or new vector; frees the vector if that fails. */
    private ValueVector decodeOnce(FileSlots file, ScanStats stats, int g, int p, int c) {
        SstReader reader = file.reader;
        FileColumn column = reader.columns[c];
        RowGroupIndex index = reader.indexes[g];
        ValueVector v = takeSpare(column.variable());
        try {
            pages.read(reader.file, file.block, stats, index.chunks[c], p, index.pageRows[p], column, file.what[c], v);
            return v;
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
    }

    private ValueVector takeSpare(boolean variable) {
        ValueVector v;
        if (variable) {
            v = spareVariable;
            spareVariable = null;
        } else {
            v = spareFixed;
            spareFixed = null;
        }
        return v != null ? v : new ValueVector(variable, allocator, MemoryPurpose.SST_READ);
    }

    /** Evicts the oldest pages not in use until the cache fits its budget or only pages in use remain. */
    private void evictOverBudget() {
        Entry e = head.prev;
        while (bytes > budgetBytes && e != head) {
            Entry older = e.prev;
            if (e.usedEpoch != epoch) {
                evict(e);
            }
            e = older;
        }
    }

    /** Evicts every page not in use. */
    private void evictUnused() {
        Entry e = head.prev;
        while (e != head) {
            Entry older = e.prev;
            if (e.usedEpoch != epoch) {
                evict(e);
            }
            e = older;
        }
        closeSpares();
    }

    private void evict(Entry e) {
        evictions++;
        remove(e);
        release(e);
    }

    /** Takes {@code e} off the list and out of its file's table. */
    private void remove(Entry e) {
        unlink(e);
        e.owner.slots[e.group][e.slot] = null;
        entries--;
        bytes -= e.bytes;
    }

    /** Keeps {@code e}'s vector as a spare (or frees it) and {@code e} for reuse. */
    private void release(Entry e) {
        ValueVector v = e.vector;
        if (v.isVariable() && spareVariable == null) {
            spareVariable = v;
        } else if (!v.isVariable() && spareFixed == null) {
            spareFixed = v;
        } else {
            v.close();
        }
        e.vector = null;
        e.owner = null;
        e.prev = null;
        e.next = freeEntries;
        freeEntries = e;
    }

    private void unlink(Entry e) {
        e.prev.next = e.next;
        e.next.prev = e.prev;
    }

    private void linkFirst(Entry e) {
        e.next = head.next;
        e.prev = head;
        head.next.prev = e;
        head.next = e;
    }

    private void closeSpares() {
        if (spareFixed != null) {
            spareFixed.close();
            spareFixed = null;
        }
        if (spareVariable != null) {
            spareVariable.close();
            spareVariable = null;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("page cache is closed");
        }
    }

    /** Frees every cached page and the scratch. Requires: no lookup sharing the cache is used after. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Entry e = head.next;
        while (e != head) {
            Entry next = e.next;
            e.vector.close();
            e.owner.slots[e.group][e.slot] = null;
            e = next;
        }
        head.next = head;
        head.prev = head;
        entries = 0;
        bytes = 0;
        freeEntries = null;
        closeSpares();
        pages.close();
        closed = true;
    }
}
