package io.floe.common.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.MemoryLimitException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class OffHeapAllocatorTest {
    @Test
    void aFreedLargeBlockIsHandedOutAgainZeroedAndKeptBlocksAreNotLive() {
        OffHeapAllocator a = new OffHeapAllocator("spares", 1L << 30);
        int size = OffHeapAllocator.MIN_SPARE_BYTES * 2;
        OffHeapBlock first = a.allocate(MemoryPurpose.SST_WRITE, size);
        long address = first.address();
        first.buffer().setMemory(0, size, (byte) 0x5A);
        first.byteBuffer().position(17).limit(99).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        first.close();
        assertThat(a.allocatedBytes()).isZero();
        assertThat(a.liveBlocks()).isZero();
        assertThat(a.spareBytes()).isEqualTo(size);
        a.assertNoLeaks();

        OffHeapBlock again = a.allocate(MemoryPurpose.SST_READ, size);
        assertThat(again.address()).as("the kept block").isEqualTo(address);
        assertThat(a.spareBytes()).isZero();
        assertThat(a.allocatedBytes(MemoryPurpose.SST_READ)).isEqualTo(size);
        for (int i = 0; i < size; i += 8) {
            assertThat(again.buffer().getLong(i)).as("byte %d", i).isZero();
        }
        assertThat(again.byteBuffer().position()).isZero();
        assertThat(again.byteBuffer().limit()).isEqualTo(size);
        assertThat(again.byteBuffer().order()).isEqualTo(java.nio.ByteOrder.BIG_ENDIAN);
        // Another size, and a small block, come fresh.
        OffHeapBlock other = a.allocate(MemoryPurpose.SST_READ, size + 8);
        OffHeapBlock small = a.allocate(MemoryPurpose.SST_READ, 1024);
        small.close();
        assertThat(a.spareBytes()).as("small blocks are not kept").isZero();
        again.close();
        other.close();
        assertThat(a.spareBytes()).isEqualTo(2L * size + 8);
        a.close();
        assertThat(a.spareBytes()).as("close frees the kept blocks").isZero();
    }

    @Test
    void keptBlocksNeverExceedTheirBound() {
        OffHeapAllocator a = new OffHeapAllocator("bound", Long.MAX_VALUE);
        int size = 4 << 20;
        java.util.List<OffHeapBlock> blocks = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * OffHeapAllocator.MAX_SPARE_BYTES / size; i++) {
            blocks.add(a.allocate(MemoryPurpose.SST_WRITE, size));
        }
        blocks.forEach(OffHeapBlock::close);
        assertThat(a.spareBytes()).isEqualTo(OffHeapAllocator.MAX_SPARE_BYTES);
        a.close();
        assertThat(a.spareBytes()).isZero();
    }

    @Test
    void countsBytesByPurposeAndFreesThem() {
        OffHeapAllocator allocator = new OffHeapAllocator("t", 1000);
        OffHeapBlock a = allocator.allocate(MemoryPurpose.MEMTABLE, 300);
        OffHeapBlock b = allocator.allocate(MemoryPurpose.SST_READ, 200);
        assertThat(allocator.allocatedBytes()).isEqualTo(500);
        assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isEqualTo(300);
        assertThat(allocator.usage()).containsEntry(MemoryPurpose.SST_READ, 200L).hasSize(2);
        assertThat(a.buffer().getLong(0)).as("blocks start zeroed").isZero();
        a.close();
        assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isZero();
        assertThat(allocator.peakBytes()).isEqualTo(500);
        assertThatThrownBy(a::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("double free");
        assertThat(allocator.leakReport()).contains("1 live blocks").contains("SST_READ");
        assertThatThrownBy(allocator::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("leak");
        b.close();
        allocator.close();
    }

    @Test
    void theLimitHoldsAndNothingIsAllocatedPastIt() {
        OffHeapAllocator allocator = new OffHeapAllocator("small", 1000);
        OffHeapBlock a = allocator.allocate(MemoryPurpose.OTHER, 900);
        assertThatThrownBy(() -> allocator.allocate(MemoryPurpose.OTHER, 101)).isInstanceOf(MemoryLimitException.class)
                .hasMessageContaining("'small'").hasMessageContaining("limit of 1000");
        assertThat(allocator.allocatedBytes()).isEqualTo(900);
        a.close();
        allocator.close();
    }

    @Test
    void concurrentAllocationsNeverPassTheLimit() throws Exception {
        OffHeapAllocator allocator = new OffHeapAllocator("race", 64 * 1024);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 2000; i++) {
                        try (OffHeapBlock block = allocator.allocate(MemoryPurpose.OTHER, 4096)) {
                            assertThat(allocator.allocatedBytes()).isLessThanOrEqualTo(64 * 1024);
                            block.buffer().putInt(0, i);
                        } catch (MemoryLimitException expectedSometimes) {
                            // another thread holds the room; fine
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(errors).isEmpty();
        assertThat(allocator.peakBytes()).isLessThanOrEqualTo(64 * 1024);
        allocator.close();
    }

    @Test
    void growableBufferKeepsContentsAndFreesOldBlocks() {
        OffHeapAllocator allocator = new OffHeapAllocator("grow", 1 << 20);
        try (GrowableBuffer buffer = new GrowableBuffer(allocator, MemoryPurpose.ROW, 8)) {
            buffer.buffer().putLong(0, 42L);
            buffer.ensureCapacity(10_000, 8);
            assertThat(buffer.capacity()).isGreaterThanOrEqualTo(10_000);
            assertThat(buffer.buffer().getLong(0)).isEqualTo(42L);
            assertThat(allocator.liveBlocks()).isEqualTo(1);
        }
        allocator.close();
    }
}
