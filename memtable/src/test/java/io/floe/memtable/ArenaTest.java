package io.floe.memtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.ClosedException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.Test;

/** The arena on its own: offsets, regions, dedicated blocks, the limit and freeing. */
class ArenaTest {

    @Test
    void allocationsAreDisjointAlignedAndNeverNil() {
        SplittableRandom random = Seeds.random("ArenaTest.allocationsAreDisjointAlignedAndNeverNil");
        try (OffHeapAllocator allocator = new OffHeapAllocator("arena", Long.MAX_VALUE)) {
            long limit = 4 << 20;
            Arena arena = new Arena(allocator, new MemtableOptions(limit, 16 << 10));
            List<long[]> pieces = new ArrayList<>(); // {offset, size, pattern}
            while (true) {
                int size = NodeLayout.ALIGNMENT * (1 + (random.nextInt(50) == 0 ? random.nextInt(20_000) : random.nextInt(100)));
                long offset = arena.allocate(size);
                if (offset == Arena.FULL) {
                    break;
                }
                assertThat(offset).isNotEqualTo(Arena.NIL).isBetween(1L, (1L << 32) - size);
                long address = arena.address((int) offset);
                assertThat(address % NodeLayout.ALIGNMENT).isZero();
                assertThat(arena.address((int) (offset + size - 1))).as("contiguous").isEqualTo(address + size - 1);
                byte pattern = (byte) random.nextInt();
                UnsafeApi.setMemory(null, address, size, pattern);
                pieces.add(new long[] {offset, size, pattern});
            }
            for (long[] piece : pieces) {
                long address = arena.address((int) piece[0]);
                for (long i = 0; i < piece[1]; i += 1 + piece[1] / 7) {
                    assertThat(UnsafeApi.getByte(null, address + i)).isEqualTo((byte) piece[2]);
                }
                assertThat(UnsafeApi.getByte(null, address + piece[1] - 1)).isEqualTo((byte) piece[2]);
            }
            assertThat(arena.reservedBytes()).isLessThanOrEqualTo(limit).isGreaterThan(limit * 3 / 4);
            assertThat(arena.usedBytes()).isLessThanOrEqualTo(arena.reservedBytes());
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isEqualTo(arena.reservedBytes());
            assertThat(arena.allocate(4)).as("a small piece may still fit the last region")
                    .satisfiesAnyOf(o -> assertThat(o).isEqualTo(Arena.FULL), o -> assertThat(o).isPositive());
            arena.free();
            arena.free();
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isZero();
            assertThatThrownBy(() -> arena.allocate(1 << 20)).isInstanceOf(ClosedException.class);
        }
    }

    @Test
    void aLargePieceGetsItsOwnBlockAndTheRegionCarriesOn() {
        try (OffHeapAllocator allocator = new OffHeapAllocator("arena", Long.MAX_VALUE)) {
            Arena arena = new Arena(allocator, new MemtableOptions(8 << 20, 64 << 10));
            long small1 = arena.allocate(64);
            long large = arena.allocate((1 << 20) + 4);
            long small2 = arena.allocate(64);
            assertThat(small2).as("small pieces stay in the first region").isEqualTo(small1 + 64);
            assertThat(large >>> 16).as("a fresh slot").isGreaterThan(0);
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isEqualTo((64 << 10) + (1 << 20) + 4);
            assertThat(arena.maxAllocationWhenEmpty(64)).isEqualTo((8 << 20) - (64 << 10));
            arena.free();
            allocator.assertNoLeaks();
        }
    }
}
