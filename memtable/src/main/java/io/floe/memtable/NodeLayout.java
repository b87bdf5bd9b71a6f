package io.floe.memtable;

import org.agrona.UnsafeApi;

/**
 * The in-memory layout of one skiplist node: one entry {@code (key, seq, kind, value)} with its
 * tower of forward links. Nodes live in {@link Arena} memory and are named by their 32-bit arena
 * offset; offset {@code 0} ({@link Arena#NIL}) is nil. This layout is never written to disk; it is
 * drawn here (and in {@code docs/formats/memtable.md}) because every access is by raw address.
 *
 * <pre>
 *  byte  0                   8            12             16     17       18       20
 *        +-------------------+------------+--------------+------+--------+--------+
 *        | seq (int64)       | keyLength  | valueLength  | kind | height | unused |
 *        |                   | (int32)    | (int32)      | (u8) | (u8)   | (2, 0) |
 *        +-------------------+------------+--------------+------+--------+--------+
 *  byte 20                                    20 + 4*height
 *        +---------+---------+-----+----------+--------------+-----------------+-----+
 *        | next[0] | next[1] | ... | next[h-1]| key bytes    | value bytes     | pad |
 *        | (u32)   | (u32)   |     | (u32)    | (keyLength)  | (valueLength)   | 0-3 |
 *        +---------+---------+-----+----------+--------------+-----------------+-----+
 * </pre>
 *
 * <ul>
 *   <li>All integers are in native (little-endian) order. A node starts at a 4-byte aligned
 *       address, so every {@code next[i]} is 4-byte aligned (required for compare-and-set); the
 *       {@code seq} field is only 4-byte aligned, which plain loads allow.
 *   <li>{@code next[i]} is the arena offset of the following node at level {@code i}, or nil.
 *       Level 0 links every node in order: key ascending (unsigned bytes), then seq descending.
 *   <li>{@code kind} is {@link io.floe.common.RowKind#value()}; {@code height} is in
 *       {@code [1, MAX_HEIGHT]}.
 *   <li>The total size is {@link #nodeSize} rounded up to a multiple of 4.
 * </ul>
 *
 * <p>Memory ordering: {@code next[i]} is the only field written after a node becomes reachable.
 * It is written with {@link #casNext} (a volatile compare-and-set, which includes release) when a
 * node is linked in, with {@link #setNextRelease} while the node is not yet reachable at that
 * level, and read only with {@link #nextAcquire}. Every other field is written with plain stores
 * before the node's level-0 link is published by {@link #casNext} and never written again; a
 * reader reaches a node only through {@link #nextAcquire} of a link to it, which pairs with that
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
    static final int TOWER_OFFSET = 20;
    static final int LINK_SIZE = 4;
    /** Nodes start at addresses that are multiples of this. */
    static final int ALIGNMENT = 4;

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

    /** Returns the level-{@code level} link; pairs with {@link #casNext} / {@link #setNextRelease}. */
    static int nextAcquire(long node, int level) {
        return UnsafeApi.getIntAcquire(null, node + TOWER_OFFSET + (long) LINK_SIZE * level);
    }

    /**
     * Sets the level-{@code level} link with a release store.
     * Requires: no other thread can reach {@code node} at {@code level} yet.
     */
    static void setNextRelease(long node, int level, int next) {
        UnsafeApi.putIntRelease(null, node + TOWER_OFFSET + (long) LINK_SIZE * level, next);
    }

    /**
     * Returns iff the level-{@code level} link was {@code expected} and is now {@code update}
     * (volatile compare-and-set: it publishes everything written before it, read by
     * {@link #nextAcquire}).
     */
    static boolean casNext(long node, int level, int expected, int update) {
        return UnsafeApi.compareAndSetInt(null, node + TOWER_OFFSET + (long) LINK_SIZE * level, expected, update);
    }
}
