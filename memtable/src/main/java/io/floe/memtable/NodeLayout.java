package io.floe.memtable;

import org.agrona.UnsafeApi;

/**
 * The in-memory layout of one skiplist node: one entry {@code (key, seq, kind, value)} with its
 * tower of forward links. Nodes live in {@link Arena} memory and are named by their 32-bit arena
 * offset; offset {@code 0} ({@link Arena#NIL}) is nil. This layout is never written to disk; it is
 * drawn here (and in {@code docs/formats/memtable.md}) because every access is by raw address.
 *
 * <pre>
 *  byte  0                   8            12             16     17       18       24
 *        +-------------------+------------+--------------+------+--------+--------+
 *        | seq (int64)       | keyLength  | valueLength  | kind | height | unused |
 *        |                   | (int32)    | (int32)      | (u8) | (u8)   | (6, 0) |
 *        +-------------------+------------+--------------+------+--------+--------+
 *  byte 24                                    24 + 8*height
 *        +---------+---------+-----+----------+--------------+-----------------+-----+
 *        | link[0] | link[1] | ... | link[h-1]| key bytes    | value bytes     | pad |
 *        | (u64)   | (u64)   |     | (u64)    | (keyLength)  | (valueLength)   | 0-7 |
 *        +---------+---------+-----+----------+--------------+-----------------+-----+
 *
 *  link (u64): bits 0-31 the arena offset of the next node at that level (0 = nil),
 *              bits 32-63 that node's key prefix: its first 4 key bytes as a big-endian
 *              unsigned int, zero-padded if the key is shorter (0 in a nil link)
 * </pre>
 *
 * <ul>
 *   <li>All integers are in native (little-endian) order. A node starts at an 8-byte aligned
 *       address, so every link is 8-byte aligned (required for a 64-bit compare-and-set).
 *   <li>{@code link[i]} names the following node at level {@code i}, or nil. Level 0 links every
 *       node in order: key ascending (unsigned bytes), then seq descending.
 *   <li>The key prefix in a link lets a search order its key against the next node without
 *       loading that node (a cache miss): prefixes that differ order the keys as the keys do
 *       (see {@link #prefix}); only equal prefixes need the full keys.
 *   <li>{@code kind} is {@link io.floe.common.RowKind#value()}; {@code height} is in
 *       {@code [1, MAX_HEIGHT]}.
 *   <li>The total size is {@link #nodeSize} rounded up to a multiple of 8.
 * </ul>
 *
 * <p>Memory ordering: {@code link[i]} is the only field written after a node becomes reachable.
 * It is written with {@link #casLink} (a volatile compare-and-set, which includes release) when a
 * node is linked in, with {@link #setLinkRelease} while the node is not yet reachable at that
 * level, and read only with {@link #linkAcquire} (or {@link #nextAcquire}). Every other field is written with plain stores
 * before the node's level-0 link is published by {@link #casLink} and never written again; a
 * reader reaches a node only through an acquire read of a link to it, which pairs with that
 * compare-and-set, so the plain reads below are safe.
 *
 * <p>Threads: stateless; the accessors are safe from any thread under the rules above. Requires
 * (every accessor): {@code node} is the address of a node of a live arena.
 */
final class NodeLayout {
    /** The tallest tower; with a branching factor of 4 this indexes ~4^20 entries well. */
    static final int MAX_HEIGHT = 20;

    static final int SEQ_OFFSET = 0;
    static final int KEY_LENGTH_OFFSET = 8;
    static final int VALUE_LENGTH_OFFSET = 12;
    static final int KIND_OFFSET = 16;
    static final int HEIGHT_OFFSET = 17;
    static final int TOWER_OFFSET = 24;
    static final int LINK_SIZE = 8;
    /** Nodes start at addresses that are multiples of this. */
    static final int ALIGNMENT = 8;
    private static final long OFFSET_MASK = 0xFFFF_FFFFL;
    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private NodeLayout() {
    }

    /**
     * Returns the bytes a node takes, rounded up to {@link #ALIGNMENT}, or a negative number if it
     * would not fit in an {@code int}.
     */
    static long nodeSize(int height, int keyLength, int valueLength) {
        long size = TOWER_OFFSET + (long) LINK_SIZE * height + keyLength + valueLength;
        return (size + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * Writes the header fields (not the links, the key or the value). Plain stores: the node is
     * not reachable yet.
     *
     * <p>Requires: the node's bytes are fresh arena memory, which is zero: the unused bytes and
     * the links start as 0 (nil) without being written (zeroing them here cost a native call per
     * insert).
     */
    static void initHeader(long node, long seq, int keyLength, int valueLength, byte kind, int height) {
        UnsafeApi.putLong(null, node + SEQ_OFFSET, seq);
        UnsafeApi.putInt(null, node + KEY_LENGTH_OFFSET, keyLength);
        UnsafeApi.putInt(null, node + VALUE_LENGTH_OFFSET, valueLength);
        UnsafeApi.putByte(null, node + KIND_OFFSET, kind);
        UnsafeApi.putByte(null, node + HEIGHT_OFFSET, (byte) height);
    }

    static long seq(long node) {
        return UnsafeApi.getLong(null, node + SEQ_OFFSET);
    }

    static int keyLength(long node) {
        return UnsafeApi.getInt(null, node + KEY_LENGTH_OFFSET);
    }

    static int valueLength(long node) {
        return UnsafeApi.getInt(null, node + VALUE_LENGTH_OFFSET);
    }

    static byte kind(long node) {
        return UnsafeApi.getByte(null, node + KIND_OFFSET);
    }

    static int height(long node) {
        return UnsafeApi.getByte(null, node + HEIGHT_OFFSET);
    }

    /** Returns the address of the first key byte. */
    static long keyAddress(long node) {
        return node + TOWER_OFFSET + (long) LINK_SIZE * height(node);
    }

    /** Returns the address of the first value byte. */
    static long valueAddress(long node) {
        return keyAddress(node) + keyLength(node);
    }

    /** Returns the offset of the node that {@code link} names (nil for a nil link). */
    static int offset(long link) {
        return (int) link;
    }

    /** Returns the key prefix that {@code link} carries (see {@link #prefix}). */
    static int linkPrefix(long link) {
        return (int) (link >>> 32);
    }

    /** Returns the link to the node at {@code offset} whose key has prefix {@code prefix}. */
    static long link(int offset, int prefix) {
        return (offset & OFFSET_MASK) | ((long) prefix << 32);
    }

    /**
     * Returns the key prefix of the key {@code (base, address, length)}: its first 4 bytes as a
     * big-endian int (compared unsigned), zero-padded if the key is shorter. If two keys' prefixes
     * differ, they order the keys as the unsigned byte order of the keys does (a zero pad byte
     * sorts first, as a shorter key that is a prefix of a longer one does); equal prefixes say
     * nothing. Requires: the range is valid.
     */
    static int prefix(Object base, long address, int length) {
        if (length >= 4) {
            int word = UnsafeApi.getInt(base, address);
            return LITTLE_ENDIAN ? Integer.reverseBytes(word) : word;
        }
        int p = 0;
        for (int i = 0; i < 4; i++) {
            p = (p << 8) | (i < length ? UnsafeApi.getByte(base, address + i) & 0xFF : 0);
        }
        return p;
    }

    /** Returns the node's level-{@code level} link; pairs with {@link #casLink} / {@link #setLinkRelease}. */
    static long linkAcquire(long node, int level) {
        return UnsafeApi.getLongAcquire(null, node + TOWER_OFFSET + (long) LINK_SIZE * level);
    }

    /** Returns the offset of the level-{@code level} successor; as {@link #linkAcquire}. */
    static int nextAcquire(long node, int level) {
        return (int) UnsafeApi.getLongAcquire(null, node + TOWER_OFFSET + (long) LINK_SIZE * level);
    }

    /**
     * Sets the level-{@code level} link with a release store.
     * Requires: no other thread can reach {@code node} at {@code level} yet.
     */
    static void setLinkRelease(long node, int level, long link) {
        UnsafeApi.putLongRelease(null, node + TOWER_OFFSET + (long) LINK_SIZE * level, link);
    }

    /**
     * Returns iff the level-{@code level} link was {@code expected} and is now {@code update}
     * (volatile compare-and-set: it publishes everything written before it, read by
     * {@link #linkAcquire}).
     */
    static boolean casLink(long node, int level, long expected, long update) {
        return UnsafeApi.compareAndSetLong(null, node + TOWER_OFFSET + (long) LINK_SIZE * level, expected, update);
    }
}
