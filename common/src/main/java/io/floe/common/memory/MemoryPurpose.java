package io.floe.common.memory;

/** What a block of off-heap memory is for; the allocator counts bytes per purpose. */
public enum MemoryPurpose {
    /** Arena chunks of memtables. */
    MEMTABLE,
    /** Page and chunk buffers of SST writers. */
    SST_WRITE,
    /** Page buffers and caches of SST readers. */
    SST_READ,
    /** Record buffers of the changelog. */
    CHANGELOG,
    /** Scratch buffers of compressors and decompressors. */
    COMPRESSION,
    /** Rows and keys built by the write path. */
    ROW,
    /** Anything else; prefer adding a purpose to using this. */
    OTHER
}
