package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.RowKind;
import io.floe.common.error.InvalidOptionException;
import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Order checks, options, statistics skipping, bloom filters and file publication. */
class SstBehaviourTest {
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").column("s", "STRING").primaryKey("id").build();

    @TempDir
    Path dir;
    final OffHeapAllocator allocator = new OffHeapAllocator("behaviour", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    /** Entries id 0..n-1 (one version each, seq = id + 1), v = id, s = "s" + id % 7. */
    List<Entry> sequential(int n) {
        KeyEncoder encoder = new KeyEncoder(SCHEMA);
        List<Entry> entries = new ArrayList<>();
        try (RowWriter row = new RowWriter(SCHEMA, allocator); GrowableBuffer key = new GrowableBuffer(allocator, MemoryPurpose.ROW, 16)) {
            for (long id = 0; id < n; id++) {
                row.reset().setAll(id, id, "s" + id % 7);
                int len = row.complete();
                RowReader r = new RowReader(SCHEMA).wrap(row.buffer(), 0, len);
                int keyLen = encoder.encode(r, key);
                byte[] k = new byte[keyLen];
                key.buffer().getBytes(0, k);
                entries.add(new Entry(k, id + 1, RowKind.INSERT, r.toObjects()));
            }
        }
        return entries;
    }

    @Test
    void statisticsSkipPagesAndRowGroups() {
        Path path = dir.resolve("a.sst");
        TestData.write(path, SCHEMA, SstOptions.defaults().withPage(64 << 10, 100).withRowGroup(1000, 64 << 10), sequential(10_000), allocator);
        try (SstReader reader = SstReader.open(path, allocator)) {
            assertThat(reader.rowGroupCount()).isEqualTo(10);
            try (SstScan scan = reader.scan(ScanSpec.of("id", "s").where(Predicate.ge("v", 9_950L)))) {
                int rows = 0;
                while (scan.next()) {
                    rows += scan.batch().size();
                }
                assertThat(rows).isEqualTo(50);
                assertThat(scan.stats().rowGroupsSkipped).isEqualTo(9);
                assertThat(scan.stats().pagesSkipped).isEqualTo(99);
                // One page position read: v for the filter, then id and s.
                assertThat(scan.stats().pagesRead).isEqualTo(3);
            }
            try (SstScan scan = reader.scan(ScanSpec.of("id").where(Predicate.isNull("v")))) {
                assertThat(scan.next()).isFalse();
                assertThat(scan.stats().pagesRead).isZero();
            }
            assertThat(reader.mightMatch(Predicate.gt("v", 10_000L))).isFalse();
            assertThat(reader.mightMatch(Predicate.in("v", -5L, 20L))).isTrue();
        }
    }

    @Test
    void keyRangeScanReadsOnlyItsPages() {
        Path path = dir.resolve("a.sst");
        List<Entry> entries = sequential(5_000);
        TestData.write(path, SCHEMA, SstOptions.defaults().withPage(1024, 100), entries, allocator);
        try (SstReader reader = SstReader.open(path, allocator);
             SstScan scan = reader.scan(ScanSpec.of("id").keyRange(entries.get(1234).key(), entries.get(1434).key()))) {
            List<Object> ids = new ArrayList<>();
            while (scan.next()) {
                ColumnBatch b = scan.batch();
                for (int i = 0; i < b.size(); i++) {
                    ids.add(b.vector(0).getLong(b.selected(i)));
                }
            }
            assertThat(ids).hasSize(200).startsWith(1234L).endsWith(1433L);
            assertThat(scan.stats().pagesRead).isLessThanOrEqualTo(2 * 3);
        }
    }

    @Test
    void bloomFilterAnswersMostMisses() {
        Path path = dir.resolve("a.sst");
        List<Entry> entries = sequential(2_000);
        List<Entry> even = entries.stream().filter(e -> ((Long) e.values()[0]) % 2 == 0).toList();
        TestData.write(path, SCHEMA, SstOptions.defaults().withBloomBitsPerKey(10), even, allocator);
        try (SstReader reader = SstReader.open(path, allocator); PointLookup lookup = reader.newLookup()) {
            for (Entry e : entries) {
                boolean present = ((Long) e.values()[0]) % 2 == 0;
                assertThat(lookup.get(new UnsafeBuffer(e.key()), 0, e.key().length, Long.MAX_VALUE)).isEqualTo(present);
            }
            // 999 absent keys inside the key range; at 10 bits per key about 1% pass the filter.
            assertThat(lookup.stats().bloomNegatives).isGreaterThan(950);
        }
    }

    @Test
    void checksOrderAgainstTheLastKeyOfAClosedPage() {
        // 16 rows per page: entry 16 is the first of a new page, whose order is checked against
        // the closed page's last key (the writer keeps no copy of every key).
        Path path = dir.resolve("pages.sst");
        List<Entry> entries = sequential(40);
        SstOptions sixteenRowPages = SstOptions.defaults().withPage(64 << 10, 16);
        try (SstWriter w = SstWriter.open(path, SCHEMA, sixteenRowPages, allocator); RowWriter row = new RowWriter(SCHEMA, allocator)) {
            for (int i = 0; i < 16; i++) {
                Entry e = entries.get(i);
                int len = row.reset().setAll(e.values()).complete();
                w.add(new UnsafeBuffer(e.key()), 0, e.key().length, 5, RowKind.INSERT, row.buffer(), 0, len);
            }
            Entry last = entries.get(15);
            Entry earlier = entries.get(14);
            int len = row.reset().setAll(last.values()).complete();
            assertThatThrownBy(() -> w.add(new UnsafeBuffer(earlier.key()), 0, earlier.key().length, 1, RowKind.INSERT, row.buffer(), 0, len))
                    .hasMessageContaining("key ascending");
            assertThatThrownBy(() -> w.add(new UnsafeBuffer(last.key()), 0, last.key().length, 5, RowKind.INSERT, row.buffer(), 0, len))
                    .hasMessageContaining("seq descending");
            w.add(new UnsafeBuffer(last.key()), 0, last.key().length, 4, RowKind.DELETE, row.buffer(), 0, len);
            for (int i = 16; i < 40; i++) {
                Entry e = entries.get(i);
                int l = row.reset().setAll(e.values()).complete();
                w.add(new UnsafeBuffer(e.key()), 0, e.key().length, 5, RowKind.INSERT, row.buffer(), 0, l);
            }
            SstMetadata m = w.finish();
            assertThat(m.maxKey()).isEqualTo(entries.get(39).key());
            assertThat(m.minKey()).isEqualTo(entries.get(0).key());
        }
    }

    @Test
    void rejectsOutOfOrderEntriesAndLeavesNoFile() {
        Path path = dir.resolve("bad.sst");
        List<Entry> entries = sequential(10);
        try (SstWriter w = SstWriter.open(path, SCHEMA, SstOptions.defaults(), allocator); RowWriter row = new RowWriter(SCHEMA, allocator)) {
            Entry a = entries.get(5);
            Entry b = entries.get(4);
            int len = row.reset().setAll(a.values()).complete();
            w.add(new UnsafeBuffer(a.key()), 0, a.key().length, 10, RowKind.INSERT, row.buffer(), 0, len);
            assertThatThrownBy(() -> w.add(new UnsafeBuffer(a.key()), 0, a.key().length, 10, RowKind.INSERT, row.buffer(), 0, len))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of order");
            assertThatThrownBy(() -> w.add(new UnsafeBuffer(a.key()), 0, a.key().length, 11, RowKind.INSERT, row.buffer(), 0, len))
                    .hasMessageContaining("seq descending");
            assertThatThrownBy(() -> w.add(new UnsafeBuffer(b.key()), 0, b.key().length, 1, RowKind.INSERT, row.buffer(), 0, len))
                    .hasMessageContaining("key ascending");
            w.add(new UnsafeBuffer(a.key()), 0, a.key().length, 9, RowKind.DELETE, row.buffer(), 0, len);
            assertThat(dir.resolve("bad.sst.tmp")).exists();
        }
        assertThat(path).doesNotExist();
        assertThat(dir.resolve("bad.sst.tmp")).doesNotExist();
    }

    @Test
    void validatesOptions() {
        assertThatThrownBy(() -> SstOptions.defaults().withZstdLevel(23)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("zstdLevel").hasMessageContaining("1 to 22");
        assertThatThrownBy(() -> SstOptions.defaults().withPage(10, 100)).isInstanceOf(InvalidOptionException.class).hasMessageContaining("pageBytes");
        assertThatThrownBy(() -> SstOptions.defaults().withBloomBitsPerKey(-1)).hasMessageContaining("bloomBitsPerKey");
        assertThatThrownBy(() -> SstOptions.defaults().withDictionaryMaxRatio(2)).hasMessageContaining("dictionaryMaxRatio");
        assertThatThrownBy(() -> SstWriter.open(dir.resolve("x.sst"), SCHEMA, SstOptions.defaults().withCodecs(Map.of("nope", Codec.LZ4)), allocator))
                .isInstanceOf(InvalidOptionException.class).hasMessageContaining("nope");
        assertThat(dir.resolve("x.sst.tmp")).doesNotExist();
        assertThatThrownBy(() -> Codec.parse("codec", "snappy")).isInstanceOf(InvalidOptionException.class).hasMessageContaining("lz4");
    }

    @Test
    void emptyWriterCannotFinishAndExistingFileIsNotReplaced() throws Exception {
        Path path = dir.resolve("e.sst");
        try (SstWriter w = SstWriter.open(path, SCHEMA, SstOptions.defaults(), allocator)) {
            assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
        }
        Files.writeString(path, "x");
        assertThatThrownBy(() -> SstWriter.open(path, SCHEMA, SstOptions.defaults(), allocator))
                .isInstanceOf(io.floe.common.error.FloeIOException.class);
    }

    @Test
    void sequenceAndSortedKeysCompressToAlmostNothing() {
        Path path = dir.resolve("a.sst");
        TestData.write(path, SCHEMA, SstOptions.defaults().withCodec(Codec.NONE), sequential(50_000), allocator);
        try (SstReader reader = SstReader.open(path, allocator)) {
            RowGroupIndex index = reader.indexes[0];
            long seqBytes = index.chunks[SstLayout.SEQ_COLUMN].length();
            long keyBytes = index.chunks[SstLayout.KEY_COLUMN].length();
            long kindBytes = index.chunks[SstLayout.KIND_COLUMN].length();
            assertThat(index.chunks[SstLayout.SEQ_COLUMN].pages()[0].encoding()).isEqualTo(SstLayout.DELTA);
            assertThat(index.chunks[SstLayout.KIND_COLUMN].pages()[0].encoding()).isIn(SstLayout.RLE, SstLayout.FOR); // one kind: FOR of width 0 is smaller still
            assertThat(index.chunks[5].pages()[0].encoding()).isEqualTo(SstLayout.DICT_BYTES);
            assertThat(seqBytes).isLessThan(50_000 / 10);
            assertThat(kindBytes).isLessThan(1_000);
            assertThat(keyBytes).as("prefix-coded sorted keys").isLessThan(50_000L * 8 / 2);
        }
    }

    @Test
    void oneReaderServesManyThreads() throws Exception {
        Path path = dir.resolve("a.sst");
        List<Entry> entries = sequential(20_000);
        TestData.write(path, SCHEMA, SstOptions.defaults().withPage(4096, 1000).withCodec(Codec.ZSTD), entries, allocator);
        try (SstReader reader = SstReader.open(path, allocator)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int seed = t;
                threads.add(new Thread(() -> {
                    try (PointLookup lookup = reader.newLookup()) {
                        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                        for (int q = 0; q < 2_000; q++) {
                            Entry e = entries.get(r.nextInt(entries.size()));
                            assertThat(lookup.get(new UnsafeBuffer(e.key()), 0, e.key().length, Long.MAX_VALUE)).isTrue();
                            assertThat(lookup.row().toObjects()).isEqualTo(e.values());
                        }
                        long sum = 0;
                        try (SstScan scan = reader.scan(ScanSpec.of("v"))) {
                            while (scan.next()) {
                                ColumnBatch b = scan.batch();
                                for (int i = 0; i < b.size(); i++) {
                                    sum += b.vector(0).getLong(b.selected(i));
                                }
                            }
                        }
                        assertThat(sum).isEqualTo(20_000L * 19_999 / 2);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(errors).isEmpty();
        }
    }
}
