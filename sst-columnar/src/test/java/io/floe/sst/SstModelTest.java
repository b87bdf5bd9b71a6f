package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random schemas, entries and options, written and read back every way, against a list model. */
class SstModelTest {
    @TempDir
    Path dir;

    @Test
    void randomFilesReadBackAsWritten() {
        SplittableRandom r = Seeds.random("SstModelTest.randomFilesReadBackAsWritten");
        int rounds = Integer.getInteger("floe.sst.rounds", 12);
        for (int round = 0; round < rounds; round++) {
            OffHeapAllocator allocator = new OffHeapAllocator("model", Long.MAX_VALUE);
            Schema schema = TestData.randomSchema(r);
            SstOptions options = TestData.randomOptions(r, schema);
            List<Entry> entries = TestData.randomEntries(r, schema, 1 + r.nextInt(1500), allocator);
            Path path = dir.resolve("round-" + round + ".sst");
            String context = "round " + round + " schema " + schema + " options " + options;
            SstMetadata meta = TestData.write(path, schema, options, entries, allocator);
            assertThat(meta.rowCount()).as(context).isEqualTo(entries.size());
            assertThat(meta.minKey()).isEqualTo(entries.get(0).key());
            assertThat(meta.maxKey()).isEqualTo(entries.get(entries.size() - 1).key());
            assertThat(path.resolveSibling(path.getFileName() + ".tmp")).doesNotExist();
            try (SstReader reader = SstReader.open(path, allocator)) {
                assertThat(reader.schema()).isEqualTo(schema);
                assertThat(reader.metadata().stats()).isEqualTo(meta.stats());
                assertThat(readAll(reader)).as(context).containsExactlyElementsOf(entries);
                checkSeeks(r, reader, entries, context);
                checkLookups(r, reader, entries, context);
                for (int q = 0; q < 6; q++) {
                    checkScan(r, reader, schema, entries, context);
                }
            }
            allocator.assertNoLeaks();
        }
    }

    static List<Entry> readAll(SstReader reader) {
        List<Entry> out = new ArrayList<>();
        try (EntryIterator it = reader.newIterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.add(new Entry(it.key(), it.seq(), it.kind(), it.row().toObjects()));
            }
        }
        return out;
    }

    private static void checkSeeks(SplittableRandom r, SstReader reader, List<Entry> entries, String context) {
        try (EntryIterator it = reader.newIterator()) {
            for (int q = 0; q < 50; q++) {
                byte[] target = probeKey(r, entries);
                int expected = 0;
                while (expected < entries.size() && ByteComparisons.compare(entries.get(expected).key(), target) < 0) {
                    expected++;
                }
                it.seek(new UnsafeBuffer(target), 0, target.length);
                for (int i = expected; i < Math.min(entries.size(), expected + 5); i++) {
                    assertThat(it.valid()).as(context).isTrue();
                    assertThat(new Entry(it.key(), it.seq(), it.kind(), it.row().toObjects())).as(context).isEqualTo(entries.get(i));
                    it.next();
                }
                if (expected + 5 >= entries.size()) {
                    assertThat(it.valid()).isFalse();
                }
            }
        }
    }

    /** Returns an existing key, a key just before or after one, or random bytes. */
    private static byte[] probeKey(SplittableRandom r, List<Entry> entries) {
        byte[] key = entries.get(r.nextInt(entries.size())).key().clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                return key;
            }
            case 1 -> {
                byte[] longer = java.util.Arrays.copyOf(key, key.length + 1);
                return longer;
            }
            case 2 -> {
                key[key.length - 1]--;
                return key;
            }
            default -> {
                byte[] b = new byte[1 + r.nextInt(12)];
                r.nextBytes(b);
                return b;
            }
        }
    }

    private static void checkLookups(SplittableRandom r, SstReader reader, List<Entry> entries, String context) {
        long maxSeq = entries.stream().mapToLong(Entry::seq).max().orElse(0);
        try (PointLookup lookup = reader.newLookup()) {
            for (int q = 0; q < 200; q++) {
                byte[] key = probeKey(r, entries);
                long snapshot = r.nextInt(4) == 0 ? Long.MAX_VALUE : r.nextLong(0, maxSeq + 2);
                Entry expected = null;
                for (Entry e : entries) {
                    if (java.util.Arrays.equals(e.key(), key) && e.seq() <= snapshot) {
                        expected = e; // entries are sorted by seq descending within a key: the first is newest
                        break;
                    }
                }
                boolean found = lookup.get(new UnsafeBuffer(key), 0, key.length, snapshot);
                assertThat(found).as(context + " key " + java.util.HexFormat.of().formatHex(key) + " at " + snapshot).isEqualTo(expected != null);
                if (found) {
                    RowReader row = lookup.row();
                    assertThat(new Entry(key, lookup.seq(), lookup.kind(), row.toObjects())).as(context).isEqualTo(expected);
                }
            }
        }
    }

    private static void checkScan(SplittableRandom r, SstReader reader, Schema schema, List<Entry> entries, String context) {
        List<String> projection = new ArrayList<>();
        for (int c = 0; c < schema.columnCount(); c++) {
            if (r.nextBoolean()) {
                projection.add(schema.column(c).name());
            }
        }
        if (r.nextBoolean()) {
            projection.add(0, SstOptions.SEQ_NAME);
        }
        Predicate predicate = null;
        List<Predicate> terms = new ArrayList<>();
        for (int t = r.nextInt(3); t > 0; t--) {
            terms.add(randomTerm(r, schema, entries));
        }
        if (terms.size() == 1) {
            predicate = terms.get(0);
        } else if (terms.size() > 1) {
            predicate = new Predicate.And(terms);
        }
        byte[] from = r.nextInt(3) == 0 ? probeKey(r, entries) : null;
        byte[] to = r.nextInt(3) == 0 ? probeKey(r, entries) : null;
        List<Object[]> expected = new ArrayList<>();
        for (Entry e : entries) {
            if (from != null && ByteComparisons.compare(e.key(), from) < 0 || to != null && ByteComparisons.compare(e.key(), to) >= 0) {
                continue;
            }
            if (predicate != null && !Models.matches(predicate, schema, e)) {
                continue;
            }
            expected.add(project(e, schema, projection));
        }
        List<Object[]> actual = new ArrayList<>();
        ScanSpec spec = new ScanSpec(projection, predicate, from, to);
        try (SstScan scan = reader.scan(spec)) {
            while (scan.next()) {
                ColumnBatch b = scan.batch();
                for (int k = 0; k < b.size(); k++) {
                    actual.add(Models.rowOf(b, b.selected(k)));
                }
            }
        }
        assertThat(actual).as(context + " scan " + spec).usingElementComparator((a, b) -> java.util.Arrays.deepEquals(a, b) ? 0 : 1)
                .containsExactlyElementsOf(expected);
    }

    private static Object[] project(Entry e, Schema schema, List<String> projection) {
        Object[] out = new Object[projection.size()];
        for (int i = 0; i < out.length; i++) {
            String name = projection.get(i);
            out[i] = name.equals(SstOptions.SEQ_NAME) ? (Object) e.seq() : e.values()[schema.indexOf(name)];
        }
        return out;
    }

    private static Predicate randomTerm(SplittableRandom r, Schema schema, List<Entry> entries) {
        int c = r.nextInt(schema.columnCount());
        String name = schema.column(c).name();
        ColumnType type = schema.type(c);
        Object literal = entries.get(r.nextInt(entries.size())).values()[c];
        if (literal == null || r.nextInt(5) == 0) {
            literal = TestData.randomValue(r, type.notNull(), false);
        }
        return switch (r.nextInt(7)) {
            case 0 -> Predicate.eq(name, literal);
            case 1 -> Predicate.lt(name, literal);
            case 2 -> Predicate.le(name, literal);
            case 3 -> Predicate.gt(name, literal);
            case 4 -> Predicate.ge(name, literal);
            case 5 -> Predicate.isNull(name);
            default -> Predicate.in(name, literal, TestData.randomValue(r, type.notNull(), false));
        };
    }
}
