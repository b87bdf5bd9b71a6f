package io.floe.memtable;

/** What {@link Memtable#insert} did. Returned, never thrown: each is an expected outcome. */
public enum InsertStatus {
    /** The entry was inserted and is visible to every read that starts after the call returns. */
    OK,
    /**
     * The memtable's memory limit (or the allocator's) leaves no room for the entry; nothing was
     * written. The caller seals this memtable and inserts into a fresh one.
     */
    FULL,
    /**
     * An entry with the same key and sequence number is already present; nothing new is visible.
     * (The arena bytes of a node that lost a race to an equal one stay allocated, unreachable,
     * until the memtable is freed.)
     */
    DUPLICATE
}
