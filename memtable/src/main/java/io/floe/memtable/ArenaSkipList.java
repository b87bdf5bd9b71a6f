package io.floe.memtable;

import static io.floe.memtable.Arena.NIL;

import io.floe.common.bytes.ByteComparisons;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

/**
 * A lock-free skiplist of {@link NodeLayout nodes} in an {@link Arena}, ordered by key ascending
 * (unsigned bytes) then seq descending; nodes are added, never removed or changed. Inserts link a
 * node bottom-up with one compare-and-set per level (after Pebble's arenaskl and RocksDB's
 * InlineSkipList), so readers never block and always see a sorted list: a node is visible at a
 * level only after it is linked at every level below.
 *
 * <p>Memory: the head node and every entry node live in the arena; this class owns no off-heap
 * memory of its own. It must not be used after the arena is freed.
 *
 * <p>Threads: every method is safe from any thread; {@link #insert} from several at once, each
 * with its own splice arrays. Memory ordering: node links as in {@link NodeLayout} (published by
 * {@code casLink}, read by {@code linkAcquire}); {@code height} is raised by compare-and-set and
 * read with acquire (a reader that sees an old height only searches from a lower level, which is
 * still correct); the statistics are updated by atomic read-modify-writes after the node is linked
 * and read with acquire, so they may trail the list by in-flight inserts.
 *
 * <p>Search key arguments are {@code (base, address, length)} as
 * {@link ByteComparisons#compareUnchecked} takes them. Requires (every search): the range is valid.
 */
final class ArenaSkipList {
    private static final VarHandle HEIGHT;
    private static final VarHandle ENTRY_COUNT;
    private static final VarHandle MIN_SEQ;
    private static final VarHandle MAX_SEQ;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEIGHT = lookup.findVarHandle(ArenaSkipList.class, "height", int.class);
            ENTRY_COUNT = lookup.findVarHandle(ArenaSkipList.class, "entryCount", long.class);
            MIN_SEQ = lookup.findVarHandle(ArenaSkipList.class, "minSeq", long.class);
            MAX_SEQ = lookup.findVarHandle(ArenaSkipList.class, "maxSeq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Arena arena;
    private final int head;
    private final long headAddress;
    /** The bytes the arena had handed out once the head was allocated. */
    private final long emptyUsedBytes;
    /**
     * The bytes most keys are expected to start with (immutable; may be empty): a link's key
     * prefix is taken after them, where keys differ (see {@link #prefix}).
     */
    private final byte[] shared;

    /** Accessed only through {@link #HEIGHT}. */
    @SuppressWarnings("unused")
    private int height = 1;
    /** Accessed only through {@link #ENTRY_COUNT}. */
    @SuppressWarnings("unused")
    private long entryCount;
    /** Accessed only through {@link #MIN_SEQ}. */
    @SuppressWarnings("unused")
    private long minSeq = Long.MAX_VALUE;
    /** Accessed only through {@link #MAX_SEQ}. */
    @SuppressWarnings("unused")
    private long maxSeq = Long.MIN_VALUE;

    /**
     * Allocates the head node; links carry key prefixes taken after {@code shared} (see
     * {@link #prefix}). Throws {@link IllegalStateException} if the arena cannot hold the head.
     */
    ArenaSkipList(Arena arena, byte[] shared) {
        this.arena = arena;
        this.shared = shared.clone();
        long offset = arena.allocate((int) NodeLayout.nodeSize(NodeLayout.MAX_HEIGHT, 0, 0));
        if (offset == Arena.FULL) {
            throw new IllegalStateException("memtable arena cannot hold the skiplist head");
        }
        this.head = (int) offset;
        this.headAddress = arena.address(head);
        NodeLayout.initHeader(headAddress, Long.MAX_VALUE, 0, 0, (byte) 0, NodeLayout.MAX_HEIGHT);
        this.emptyUsedBytes = arena.usedBytes();
    }

    Arena arena() {
        return arena;
    }

    long emptyUsedBytes() {
        return emptyUsedBytes;
    }

    /**
     * Inserts {@code (key, seq, kind, value)}. Returns {@link InsertStatus#DUPLICATE} iff a node
     * with the same key and seq is present (nothing new becomes visible), {@link InsertStatus#FULL}
     * iff the arena has no room (nothing is written), else {@link InsertStatus#OK} once the node
     * is linked at every level.
     *
     * <p>Requires: {@code prev} and {@code next} have {@link NodeLayout#MAX_HEIGHT} elements and
     * no other thread uses them during the call; the key and value ranges are valid;
     * {@code seq >= 0}; the node size fits in an {@code int}.
     */
    InsertStatus insert(int[] prev, long[] next, Object keyBase, long keyAddress, int keyLength, long seq, byte kind,
            Object valueBase, long valueAddress, int valueLength) {
        int nodeHeight = randomHeight();
        int listHeight = (int) HEIGHT.getAcquire(this);
        while (nodeHeight > listHeight) {
            if (HEIGHT.compareAndSet(this, listHeight, nodeHeight)) {
                break;
            }
            listHeight = (int) HEIGHT.getAcquire(this);
        }
        int prefix = prefix(keyBase, keyAddress, keyLength);
        // Find the splice: at each level below the node's height, the last node before the new
        // one and the link to the first after it. A link's key prefix decides most steps without
        // loading the next node; only a tie loads it.
        int x = head;
        long xAddress = headAddress;
        int lastBigger = NIL;
        for (int level = Math.max(listHeight, nodeHeight) - 1; level >= 0; ) {
            long link = NodeLayout.linkAcquire(xAddress, level);
            int n = NodeLayout.offset(link);
            if (n != NIL && n != lastBigger) {
                long nAddress = arena.address(n);
                int c = compare(link, nAddress, prefix, keyBase, keyAddress, keyLength, seq);
                if (c < 0) {
                    x = n;
                    xAddress = nAddress;
                    continue;
                }
                if (c == 0) {
                    return InsertStatus.DUPLICATE;
                }
                lastBigger = n;
            }
            if (level < nodeHeight) {
                prev[level] = x;
                next[level] = link;
            }
            level--;
        }

        long offset = arena.allocate((int) NodeLayout.nodeSize(nodeHeight, keyLength, valueLength));
        if (offset == Arena.FULL) {
            return InsertStatus.FULL;
        }
        int node = (int) offset;
        long address = arena.address(node);
        NodeLayout.initHeader(address, seq, keyLength, valueLength, kind, nodeHeight);
        long keyTo = address + NodeLayout.TOWER_OFFSET + (long) NodeLayout.LINK_SIZE * nodeHeight;
        UnsafeApi.copyMemory(keyBase, keyAddress, null, keyTo, keyLength);
        UnsafeApi.copyMemory(valueBase, valueAddress, null, keyTo + keyLength, valueLength);
        long self = NodeLayout.link(node, prefix);

        // Link bottom-up. The level-0 compare-and-set publishes the node's fields (release).
        for (int level = 0; level < nodeHeight; level++) {
            while (true) {
                NodeLayout.setLinkRelease(address, level, next[level]);
                if (NodeLayout.casLink(arena.address(prev[level]), level, next[level], self)) {
                    break;
                }
                // Another writer linked a node after prev[level]: find this level's splice again.
                if (!findSplice(level, prev, next, prefix, keyBase, keyAddress, keyLength, seq)) {
                    if (level != 0) {
                        throw new IllegalStateException("skiplist corrupt: duplicate entry above level 0");
                    }
                    return InsertStatus.DUPLICATE;
                }
            }
        }
        ENTRY_COUNT.getAndAdd(this, 1L);
        long min = (long) MIN_SEQ.getAcquire(this);
        while (seq < min && !MIN_SEQ.compareAndSet(this, min, seq)) {
            min = (long) MIN_SEQ.getAcquire(this);
        }
        long max = (long) MAX_SEQ.getAcquire(this);
        while (seq > max && !MAX_SEQ.compareAndSet(this, max, seq)) {
            max = (long) MAX_SEQ.getAcquire(this);
        }
        return InsertStatus.OK;
    }

    /**
     * Moves {@code prev[level]} forward to the last node before {@code (key, seq)} at
     * {@code level} and sets {@code next[level]} to its link to the successor. Returns false iff a
     * node equal to {@code (key, seq)} is found.
     */
    private boolean findSplice(int level, int[] prev, long[] next, int prefix, Object keyBase, long keyAddress,
            int keyLength, long seq) {
        int x = prev[level];
        long xAddress = arena.address(x);
        while (true) {
            long link = NodeLayout.linkAcquire(xAddress, level);
            int n = NodeLayout.offset(link);
            if (n == NIL) {
                next[level] = link;
                break;
            }
            long nAddress = arena.address(n);
            int c = compare(link, nAddress, prefix, keyBase, keyAddress, keyLength, seq);
            if (c == 0) {
                return false;
            }
            if (c > 0) {
                next[level] = link;
                break;
            }
            x = n;
            xAddress = nAddress;
        }
        prev[level] = x;
        return true;
    }

    /**
     * Returns the key prefix a link to a node with this key carries. Keys that start with the
     * shared bytes {@code S} (length {@code k}) map to {@link NodeLayout#prefix} of their bytes after
     * {@code S}; keys that sort before every key starting with {@code S} map to 0, keys that sort
     * after them to {@code 0xFFFFFFFF}. So, as for {@link NodeLayout#prefix}, prefixes that differ
     * (compared unsigned) order the keys as the keys' bytes do, and equal ones say nothing: within
     * the keys that start with {@code S} the bytes after it decide; the others sort before or
     * after all of those. With an empty {@code S} it is {@link NodeLayout#prefix} of the key.
     */
    int prefix(Object keyBase, long keyAddress, int keyLength) {
        int k = shared.length;
        if (k == 0) {
            return NodeLayout.prefix(keyBase, keyAddress, keyLength);
        }
        int n = Math.min(k, keyLength);
        int c = ByteComparisons.compareUnchecked(keyBase, keyAddress, n, shared, BufferUtil.ARRAY_BASE_OFFSET, n);
        if (c < 0 || (c == 0 && keyLength < k)) {
            return 0; // below S, or a proper prefix of S
        }
        if (c > 0) {
            return -1;
        }
        return NodeLayout.prefix(keyBase, keyAddress + k, keyLength - k);
    }

    /** Returns a height in [1, MAX_HEIGHT], each level above 1 with probability 1/4. */
    private static int randomHeight() {
        long r = ThreadLocalRandom.current().nextLong();
        int h = 1;
        while (h < NodeLayout.MAX_HEIGHT && (r & 3) == 0) {
            h++;
            r >>>= 2;
        }
        return h;
    }

    /**
     * Returns a negative number, zero or a positive number as the node at {@code node} sorts
     * before, equal to or after {@code (key, seq)}.
     */
    static int compare(long node, Object keyBase, long keyAddress, int keyLength, long seq) {
        int c = ByteComparisons.compareUnchecked(null, NodeLayout.keyAddress(node), NodeLayout.keyLength(node),
                keyBase, keyAddress, keyLength);
        return c != 0 ? c : Long.compare(seq, NodeLayout.seq(node));
    }

    /**
     * As {@link #compare(long, Object, long, int, long)} for the node at {@code node} that
     * {@code link} names, given the search key's {@code prefix}: decided by the link's key prefix
     * where the prefixes differ, so that the node is not loaded.
     */
    private static int compare(long link, long node, int prefix, Object keyBase, long keyAddress, int keyLength, long seq) {
        int linkPrefix = NodeLayout.linkPrefix(link);
        if (linkPrefix != prefix) {
            return Integer.compareUnsigned(linkPrefix, prefix);
        }
        return compare(node, keyBase, keyAddress, keyLength, seq);
    }

    /** Returns the first node at or after {@code (key, seq)}, or nil. */
    int findGreaterOrEqual(Object keyBase, long keyAddress, int keyLength, long seq) {
        int prefix = prefix(keyBase, keyAddress, keyLength);
        long xAddress = headAddress;
        int lastBigger = NIL;
        int level = (int) HEIGHT.getAcquire(this) - 1;
        while (true) {
            long link = NodeLayout.linkAcquire(xAddress, level);
            int n = NodeLayout.offset(link);
            if (n != NIL && n != lastBigger) {
                long nAddress = arena.address(n);
                if (compare(link, nAddress, prefix, keyBase, keyAddress, keyLength, seq) < 0) {
                    xAddress = nAddress;
                    continue;
                }
                lastBigger = n;
            }
            if (level == 0) {
                return n;
            }
            level--;
        }
    }

    /** Returns the last node before {@code (key, seq)}, or nil. */
    int findLessThan(Object keyBase, long keyAddress, int keyLength, long seq) {
        int prefix = prefix(keyBase, keyAddress, keyLength);
        int x = head;
        long xAddress = headAddress;
        int lastBigger = NIL;
        int level = (int) HEIGHT.getAcquire(this) - 1;
        while (true) {
            long link = NodeLayout.linkAcquire(xAddress, level);
            int n = NodeLayout.offset(link);
            if (n != NIL && n != lastBigger) {
                long nAddress = arena.address(n);
                if (compare(link, nAddress, prefix, keyBase, keyAddress, keyLength, seq) < 0) {
                    x = n;
                    xAddress = nAddress;
                    continue;
                }
                lastBigger = n;
            }
            if (level == 0) {
                return x == head ? NIL : x;
            }
            level--;
        }
    }

    /**
     * Returns the bytes the first and the last key share at their start, at most {@code max}
     * (empty if the list is empty).
     */
    byte[] sharedPrefixOfFirstAndLast(int max) {
        int first = first();
        int last = last();
        if (first == NIL || last == NIL) {
            return new byte[0];
        }
        long a = NodeLayout.keyAddress(arena.address(first));
        long b = NodeLayout.keyAddress(arena.address(last));
        int limit = Math.min(max, Math.min(NodeLayout.keyLength(arena.address(first)), NodeLayout.keyLength(arena.address(last))));
        int n = 0;
        while (n < limit && UnsafeApi.getByte(null, a + n) == UnsafeApi.getByte(null, b + n)) {
            n++;
        }
        byte[] bytes = new byte[n];
        UnsafeApi.copyMemory(null, a, bytes, BufferUtil.ARRAY_BASE_OFFSET, n);
        return bytes;
    }

    /** Returns the first node, or nil. */
    int first() {
        return NodeLayout.nextAcquire(headAddress, 0);
    }

    /** Returns the last node, or nil. */
    int last() {
        int x = head;
        long xAddress = headAddress;
        int level = (int) HEIGHT.getAcquire(this) - 1;
        while (true) {
            int n = NodeLayout.nextAcquire(xAddress, level);
            if (n != NIL) {
                x = n;
                xAddress = arena.address(n);
                continue;
            }
            if (level == 0) {
                return x == head ? NIL : x;
            }
            level--;
        }
    }

    /** Returns the level-0 successor of {@code node}, or nil. */
    int next(int node) {
        return NodeLayout.nextAcquire(arena.address(node), 0);
    }

    long entryCount() {
        return (long) ENTRY_COUNT.getAcquire(this);
    }

    /** Returns the smallest seq inserted, or {@link Long#MAX_VALUE} if none. */
    long minSeq() {
        return (long) MIN_SEQ.getAcquire(this);
    }

    /** Returns the largest seq inserted, or {@link Long#MIN_VALUE} if none. */
    long maxSeq() {
        return (long) MAX_SEQ.getAcquire(this);
    }
}
