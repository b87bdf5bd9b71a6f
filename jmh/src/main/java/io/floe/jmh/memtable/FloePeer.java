package io.floe.jmh.memtable;

import io.floe.common.RowKind;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.memtable.EntryView;
import io.floe.memtable.InsertStatus;
import io.floe.memtable.Memtable;
import io.floe.memtable.MemtableOptions;
import io.floe.memtable.MemtableWriter;

/**
 * Floe's memtable, 1 GiB limit (1 MiB chunks), fed from off-heap keys and values; entry {@code i}
 * gets seq {@code i + 1} and kind +I. Memory: the arena's bytes from its own allocator, freed by
 * {@link #close()}.
 */
final class FloePeer implements KvPeer {
    private final BenchData data;
    private final OffHeapAllocator allocator = new OffHeapAllocator("bench-memtable", Long.MAX_VALUE);
    Memtable memtable;

    FloePeer(BenchData data) {
        this.data = data;
        this.memtable = Memtable.create(allocator, MemtableOptions.withLimit(1L << 30));
    }

    @Override
    public void reset() {
        memtable.close();
        memtable = Memtable.create(allocator, MemtableOptions.withLimit(1L << 30));
    }

    @Override
    public Session newSession() {
        Memtable memtable = this.memtable;
        MemtableWriter writer = memtable.newWriter();
        EntryView view = new EntryView();
        return new Session() {
            @Override
            public void put(int i) {
                InsertStatus status = writer.insert(data.offHeapKeys, BenchData.keyOffset(i), BenchData.KEY_BYTES, i + 1L,
                        RowKind.INSERT, data.offHeapValues, BenchData.valueOffset(i), BenchData.VALUE_BYTES);
                if (status != InsertStatus.OK) {
                    throw new IllegalStateException("insert " + i + ": " + status);
                }
            }

            @Override
            public long get(int i) {
                if (memtable.get(data.offHeapKeys, BenchData.keyOffset(i), BenchData.KEY_BYTES, Long.MAX_VALUE, view)) {
                    return view.value().getLong(0);
                }
                return -1;
            }
        };
    }

    /** Returns the bytes the arena took from the allocator. */
    @Override
    public long memoryBytes() {
        return allocator.allocatedBytes(MemoryPurpose.MEMTABLE);
    }

    @Override
    public void close() {
        memtable.close();
        allocator.close();
    }
}
