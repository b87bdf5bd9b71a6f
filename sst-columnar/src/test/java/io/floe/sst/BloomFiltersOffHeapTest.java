package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.floe.common.RowKind;
import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's bloom filters live off-heap ({@link BloomFilters}): opening a file takes them from
 * its allocator (not from the heap), lookups probe them there, and closing the reader gives every
 * byte back; a probe after close is caught (with assertions on, as in the build's tests).
 */
class BloomFiltersOffHeapTest {
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").primaryKey("id").build();
    static final int KEYS = 200_000;

    @TempDir
    Path dir;
    final OffHeapAllocator allocator = new OffHeapAllocator("bloom-off-heap", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    /** Entries with the even ids 0, 2, ... 2 * (n - 1) (seq = id + 1, v = -id). */
    private List<Entry> evenIds(int n) {
        KeyEncoder encoder = new KeyEncoder(SCHEMA);
        List<Entry> entries = new ArrayList<>(n);
        try (RowWriter row = new RowWriter(SCHEMA, allocator); GrowableBuffer key = new GrowableBuffer(allocator, MemoryPurpose.ROW, 16)) {
            for (long id = 0; id < 2L * n; id += 2) {
                entries.add(entry(encoder, row, key, id));
            }
        }
        return entries;
    }

    private static Entry entry(KeyEncoder encoder, RowWriter row, GrowableBuffer key, long id) {
        row.reset().setAll(id, -id);
        int len = row.complete();
        RowReader r = new RowReader(SCHEMA).wrap(row.buffer(), 0, len);
        int keyLen = encoder.encode(r, key);
        byte[] k = new byte[keyLen];
        key.buffer().getBytes(0, k);
        return new Entry(k, id + 1, RowKind.INSERT, r.toObjects());
    }

    /** Returns the encoded key of {@code id}. */
    private byte[] keyOf(long id) {
        try (RowWriter row = new RowWriter(SCHEMA, allocator); GrowableBuffer key = new GrowableBuffer(allocator, MemoryPurpose.ROW, 16)) {
            return entry(new KeyEncoder(SCHEMA), row, key, id).key();
        }
    }

    private static long threadHeapBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void filtersAreTakenFromTheAllocatorNotTheHeapAndGivenBackOnClose() {
        Path path = dir.resolve("a.sst");
        List<Entry> entries = evenIds(KEYS);
        // Several row groups, each with its filter: they share the reader's one block.
        TestData.write(path, SCHEMA, SstOptions.defaults().withRowGroup(30_000, 64 << 20).withBloomBitsPerKey(10), entries, allocator);
        SstReader.open(path, allocator).close(); // warm up: class loading and first-use initialization are not the reader's
        assertThat(allocator.allocatedBytes()).isZero();

        long heapBefore = threadHeapBytes();
        SstReader reader = SstReader.open(path, allocator);
        long heap = threadHeapBytes() - heapBefore;
        try {
            assertThat(reader.rowGroupCount()).isEqualTo(7);
            // 10 bits per key, rounded up to whole 64-byte blocks per group, plus each group's 8-byte header.
            assertThat(reader.bloomBytes()).isBetween(KEYS * 10L / 8, KEYS * 10L / 8 + 7 * (64 + 8));
            assertThat(allocator.allocatedBytes(MemoryPurpose.SST_READ)).as("off-heap bytes of an open reader, no lookup")
                    .isEqualTo(reader.bloomBytes());
            // A heap copy of the filters cost bloomBytes() (250,424) more; the page indexes and footer took about 76 KB.
            assertThat(heap).as("heap bytes allocated by open (filters take %d off-heap)", reader.bloomBytes())
                    .isLessThan(reader.bloomBytes() / 2);
            try (PointLookup lookup = reader.newLookup()) {
                for (long id = 0; id < 2L * KEYS; id += 97) {
                    byte[] key = keyOf(id);
                    boolean present = id % 2 == 0;
                    assertThat(lookup.get(new UnsafeBuffer(key), 0, key.length, Long.MAX_VALUE)).as("id %d", id).isEqualTo(present);
                    if (present) {
                        assertThat(lookup.row().getLong(1)).isEqualTo(-id);
                    }
                }
                // About 2,062 absent ids were asked; at 10 bits per key about 1% pass the filter.
                assertThat(lookup.stats().bloomNegatives).isGreaterThan(1_900);
            }
        } finally {
            reader.close();
        }
        assertThat(allocator.allocatedBytes()).as("off-heap bytes after close").isZero();
        reader.close(); // idempotent: nothing is freed twice
    }

    @Test
    void aFileWithoutFiltersTakesNoFilterMemory() {
        Path path = dir.resolve("a.sst");
        List<Entry> entries = evenIds(1_000);
        TestData.write(path, SCHEMA, SstOptions.defaults().withBloomBitsPerKey(0), entries, allocator);
        try (SstReader reader = SstReader.open(path, allocator); PointLookup lookup = reader.newLookup()) {
            assertThat(reader.bloomBytes()).isZero();
            assertThat(allocator.allocatedBytes()).isZero();
            for (Entry e : entries) {
                assertThat(lookup.get(new UnsafeBuffer(e.key()), 0, e.key().length, Long.MAX_VALUE)).isTrue();
            }
            byte[] absent = keyOf(7);
            assertThat(lookup.get(new UnsafeBuffer(absent), 0, absent.length, Long.MAX_VALUE)).isFalse();
        }
    }

    @Test
    void aProbeAfterCloseIsCaught() {
        boolean assertions = false;
        assert assertions = true;
        assumeTrue(assertions, "needs -ea (the build's tests run with it)");
        Path path = dir.resolve("a.sst");
        TestData.write(path, SCHEMA, SstOptions.defaults().withBloomBitsPerKey(10), evenIds(1_000), allocator);
        SstReader reader = SstReader.open(path, allocator);
        assertThat(reader.bloomMayContain(0, 42L) || true).isTrue();
        reader.close();
        assertThatThrownBy(() -> reader.bloomMayContain(0, 42L)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("probed after its reader closed");
    }
}
