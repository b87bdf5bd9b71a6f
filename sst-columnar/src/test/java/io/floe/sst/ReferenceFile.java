package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.RowKind;
import io.floe.common.error.CorruptionException;
import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The small reference file of the golden and corruption tests: deterministic content and
 * options, every codec, several row groups and pages, nulls, dictionary, prefix and delta pages,
 * and a reader of all of it into one text that the corruption sweep compares.
 */
final class ReferenceFile {
    static final Schema SCHEMA = Schema.builder()
            .column("id", "BIGINT NOT NULL").column("name", "STRING").column("price", "DECIMAL(30, 2)").column("at", "TIMESTAMP(9)")
            .column("qty", "INT").primaryKey("id").build();
    static final SstOptions OPTIONS = SstOptions.defaults().withPage(1024, 16).withRowGroup(40, 64 << 10)
            .withCodecs(Map.of("name", Codec.LZ4, "price", Codec.ZSTD, "_key", Codec.LZ4)).withCodec(Codec.NONE).withBloomBitsPerKey(8);

    private ReferenceFile() {
    }

    static List<Entry> entries(OffHeapAllocator allocator) {
        KeyEncoder encoder = new KeyEncoder(SCHEMA);
        List<Entry> out = new ArrayList<>();
        String[] names = {"alpha", "beta", "", "gam\0ma", "delta"};
        try (RowWriter row = new RowWriter(SCHEMA, allocator); GrowableBuffer key = new GrowableBuffer(allocator, MemoryPurpose.ROW, 16)) {
            long seq = 1000;
            for (long id = 0; id < 60; id++) {
                int versions = id % 5 == 0 ? 3 : 1;
                for (int v = 0; v < versions; v++) {
                    row.reset();
                    row.setLong(0, id * 10);
                    if (id % 7 != 3) {
                        row.setString(1, names[(int) (id % names.length)]);
                    }
                    row.setDecimal(2, BigDecimal.valueOf(id * 1234567 - 30000, 2));
                    row.setTimestamp(3, LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(id * 3600).withNano((int) (id * 123_457)));
                    if (id % 4 != 1) {
                        row.setInt(4, (int) (id % 9) - v);
                    }
                    int len = row.complete();
                    RowReader r = new RowReader(SCHEMA).wrap(row.buffer(), 0, len);
                    int keyLen = encoder.encode(r, key);
                    byte[] k = new byte[keyLen];
                    key.buffer().getBytes(0, k);
                    out.add(new Entry(k, seq - v * 7 - id, v == 1 ? RowKind.DELETE : RowKind.INSERT, r.toObjects()));
                }
            }
        }
        return out;
    }

    static SstMetadata write(Path path, OffHeapAllocator allocator) {
        return TestData.write(path, SCHEMA, OPTIONS, entries(allocator), allocator);
    }

    private static void appendLookups(PointLookup lookup, List<Entry> entries, StringBuilder out) {
        for (Entry e : entries) {
            for (long snapshot : new long[] {e.seq(), e.seq() - 1}) {
                if (lookup.get(new UnsafeBuffer(e.key()), 0, e.key().length, snapshot)) {
                    out.append("get ").append(lookup.seq()).append(' ').append(lookup.kind()).append(' ')
                            .append(java.util.Arrays.deepToString(lookup.row().toObjects())).append('\n');
                } else {
                    out.append("absent\n");
                }
            }
        }
    }

    /**
     * Returns {@link #readEverything} of a possibly damaged file, or null iff it failed with a
     * {@link CorruptionException} that names the file and left nothing allocated. Throws
     * {@link AssertionError} on any other failure: a damaged file gives that error or reads.
     */
    static String readOrCorruption(Path path, List<Entry> entries, OffHeapAllocator allocator, String what) {
        try {
            return readEverything(path, entries, allocator);
        } catch (CorruptionException e) {
            assertThat(e.file()).as(what).contains(path.getFileName().toString());
            assertThat(allocator.leakReport()).as(what).isEmpty();
            return null;
        } catch (Throwable t) {
            throw new AssertionError(what + ": expected a CorruptionException or identical results, got " + t, t);
        }
    }

    /**
     * Copies the committed test resource {@code resource} (relative to this package, e.g. a fixture
     * written by an older format's writer) to {@code target}; returns {@code target}.
     */
    static Path copyResource(String resource, Path target) throws IOException {
        try (InputStream in = ReferenceFile.class.getResourceAsStream(resource)) {
            assertThat(in).as("test resource " + resource).isNotNull();
            Files.copy(in, target);
        }
        return target;
    }

    /** Reads everything the reader offers (iterator, lookups, scans) into one text. */
    static String readEverything(Path path, List<Entry> entries, OffHeapAllocator allocator) {
        StringBuilder out = new StringBuilder();
        try (SstReader reader = SstReader.open(path, allocator)) {
            for (Entry e : SstModelTest.readAll(reader)) {
                out.append(e).append('\n');
            }
            try (PointLookup lookup = reader.newLookup()) {
                appendLookups(lookup, entries, out);
            }
            // The same through a page cache small enough to evict: a cached page must read as a fresh one.
            try (PageCache cache = new PageCache(allocator, 8 << 10); PointLookup lookup = reader.newLookup(cache)) {
                appendLookups(lookup, entries, out);
            }
            try (SstScan scan = reader.scan(ScanSpec.of("_seq", "name", "qty").where(Predicate.and(Predicate.ge("price", new BigDecimal("100")),
                    Predicate.in("qty", 1, 2, 3))))) {
                while (scan.next()) {
                    ColumnBatch b = scan.batch();
                    for (int i = 0; i < b.size(); i++) {
                        out.append("scan ").append(java.util.Arrays.deepToString(Models.rowOf(b, b.selected(i)))).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }
}
