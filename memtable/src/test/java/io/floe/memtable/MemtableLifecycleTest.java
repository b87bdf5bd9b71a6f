package io.floe.memtable;

import static io.floe.memtable.MemtableEdgeCaseTest.buf;
import static io.floe.memtable.MemtableEdgeCaseTest.put;
import static io.floe.memtable.MemtableEdgeCaseTest.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.RowKind;
import io.floe.common.error.ClosedException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The memory limit (FULL), reference counting, close and use after close. */
class MemtableLifecycleTest {

    @Test
    void fullReportsWithoutWritingAndReadsStillWork() {
        SplittableRandom random = Seeds.random("MemtableLifecycleTest.fullReportsWithoutWritingAndReadsStillWork");
        try (OffHeapAllocator allocator = new OffHeapAllocator("full", Long.MAX_VALUE)) {
            long limit = 64 << 10;
            Memtable memtable = Memtable.create(allocator, MemtableOptions.withLimit(limit));
            List<String> accepted = new ArrayList<>();
            int fulls = 0;
            for (int i = 0; fulls < 50; i++) {
                String key = String.format("key-%06d", random.nextInt(1_000_000));
                String value = "v".repeat(random.nextInt(random.nextInt(20) == 0 ? 3_000 : 100));
                InsertStatus status = put(memtable, key, i, RowKind.INSERT, value);
                if (status == InsertStatus.FULL) {
                    fulls++;
                } else {
                    assertThat(status).isEqualTo(InsertStatus.OK);
                    accepted.add(key + "@" + i + "=" + value.length());
                }
            }
            assertThat(memtable.reservedBytes()).isLessThanOrEqualTo(limit);
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isLessThanOrEqualTo(limit);
            assertThat(memtable.approximateBytes()).isLessThanOrEqualTo(memtable.reservedBytes());
            assertThat(memtable.entryCount()).isEqualTo(accepted.size());
            List<String> seen = new ArrayList<>();
            try (MemtableIterator it = memtable.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    seen.add(string(it.key()) + "@" + it.seq() + "=" + it.valueLength());
                }
            }
            assertThat(seen).as("exactly the accepted entries, nothing partial").containsExactlyInAnyOrderElementsOf(accepted);
            memtable.close();
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isZero();
        }
    }

    @Test
    void theAllocatorsOwnLimitIsFullTooNotAnException() {
        try (OffHeapAllocator allocator = new OffHeapAllocator("tight", 40 << 10)) {
            Memtable memtable = Memtable.create(allocator, new MemtableOptions(1 << 20, 8 << 10));
            InsertStatus status;
            int seq = 0;
            do {
                status = put(memtable, "key" + seq, seq, RowKind.INSERT, "x".repeat(200));
                seq++;
            } while (status == InsertStatus.OK);
            assertThat(status).isEqualTo(InsertStatus.FULL);
            assertThat(allocator.allocatedBytes()).isLessThanOrEqualTo(40 << 10);
            assertThat(memtable.entryCount()).isEqualTo(seq - 1);
            memtable.close();
        }
    }

    @Test
    void closeReturnsEveryByte() {
        try (OffHeapAllocator allocator = new OffHeapAllocator("close", Long.MAX_VALUE)) {
            Memtable memtable = Memtable.create(allocator, new MemtableOptions(32 << 20, 64 << 10));
            byte[] big = new byte[1 << 20];
            for (int i = 0; i < 5000; i++) {
                put(memtable, "key" + i, i, RowKind.INSERT, "value" + i);
            }
            memtable.insert(buf("big"), 0, 3, 9999, RowKind.INSERT, new UnsafeBuffer(big), 0, big.length);
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isGreaterThan(1 << 20);
            memtable.close();
            memtable.close(); // idempotent
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isZero();
            allocator.assertNoLeaks();
            assertThat(memtable.refCount()).isZero();
            assertThat(memtable.reservedBytes()).isZero();
        }
    }

    @Test
    void useAfterCloseThrowsClosedException() {
        try (OffHeapAllocator allocator = new OffHeapAllocator("closed", Long.MAX_VALUE)) {
            Memtable memtable = Memtable.create(allocator, MemtableOptions.withLimit(1 << 20));
            put(memtable, "k", 1, RowKind.INSERT, "v");
            MemtableIterator it = memtable.newIterator();
            it.close();
            assertThatThrownBy(it::seekToFirst).isInstanceOf(ClosedException.class);
            assertThatThrownBy(it::next).isInstanceOf(ClosedException.class);
            memtable.close();
            DirectBuffer k = buf("k");
            assertThatThrownBy(() -> put(memtable, "k", 2, RowKind.INSERT, "v")).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> memtable.get(k, 0, 1, 5, new EntryView())).isInstanceOf(ClosedException.class);
            assertThatThrownBy(memtable::newIterator).isInstanceOf(ClosedException.class);
            assertThatThrownBy(() -> memtable.newSnapshotIterator(1)).isInstanceOf(ClosedException.class);
            assertThatThrownBy(memtable::newWriter).isInstanceOf(ClosedException.class);
            assertThatThrownBy(memtable::retain).isInstanceOf(ClosedException.class);
            assertThatThrownBy(memtable::isEmpty).isInstanceOf(ClosedException.class);
            assertThatThrownBy(memtable::release).isInstanceOf(IllegalStateException.class);
            assertThat(memtable.isClosed()).isTrue();
            allocator.assertNoLeaks();
        }
    }

    @Test
    void readersKeepTheMemoryAliveAfterTheOwnerCloses() {
        try (OffHeapAllocator allocator = new OffHeapAllocator("refs", Long.MAX_VALUE)) {
            Memtable memtable = Memtable.create(allocator, MemtableOptions.withLimit(1 << 20));
            for (int i = 0; i < 100; i++) {
                put(memtable, String.format("k%03d", i), i, RowKind.INSERT, "v" + i);
            }
            memtable.retain(); // a reader of the point-lookup path
            SnapshotIterator it = memtable.newSnapshotIterator(Long.MAX_VALUE); // a flush
            it.seekToFirst();
            memtable.close(); // the kernel is done with it
            assertThatThrownBy(() -> put(memtable, "k", 1000, RowKind.INSERT, "v")).isInstanceOf(ClosedException.class);
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isPositive();
            int n = 0;
            for (; it.isValid(); it.next()) {
                assertThat(string(it.value())).isEqualTo("v" + n++);
            }
            assertThat(n).isEqualTo(100);
            it.close();
            EntryView view = new EntryView();
            assertThat(memtable.get(buf("k042"), 0, 4, Long.MAX_VALUE, view)).isTrue();
            assertThat(string(view.value())).isEqualTo("v42");
            assertThat(memtable.refCount()).isEqualTo(1);
            memtable.release();
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isZero();
            assertThatThrownBy(() -> memtable.get(buf("k042"), 0, 4, 1, view)).isInstanceOf(ClosedException.class);
        }
    }
}
