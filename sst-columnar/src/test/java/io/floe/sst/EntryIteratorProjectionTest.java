package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A projecting {@link EntryIterator} against the full one over random files: the same entries, the
 * chosen columns equal, the others null (NOT NULL ones too), fewer bytes read; seeks land alike.
 */
class EntryIteratorProjectionTest {
    @TempDir
    Path dir;

    @Test
    void projectedRowsAreTheFullRowsWithUnreadColumnsNull() {
        SplittableRandom r = Seeds.random("EntryIteratorProjectionTest.projectedRowsAreTheFullRowsWithUnreadColumnsNull");
        for (int round = 0; round < 10; round++) {
            try (OffHeapAllocator allocator = new OffHeapAllocator("projection", Long.MAX_VALUE)) {
                Schema schema = TestData.randomSchema(r);
                SstOptions options = TestData.randomOptions(r, schema);
                List<Entry> entries = TestData.randomEntries(r, schema, 1 + r.nextInt(1500), allocator);
                Path path = dir.resolve("round-" + round + ".sst");
                TestData.write(path, schema, options, entries, allocator);
                boolean[] columns = new boolean[schema.columnCount()];
                boolean all = true;
                for (int c = 0; c < columns.length; c++) {
                    columns[c] = r.nextInt(3) == 0;
                    all &= columns[c];
                }
                String context = "round " + round + " schema " + schema + " options " + options + " columns " + java.util.Arrays.toString(columns);
                try (SstReader reader = SstReader.open(path, allocator)) {
                    List<Entry> projected = new ArrayList<>();
                    ScanStats statsProjected;
                    try (EntryIterator it = EntryIterator.projecting(reader, columns)) {
                        for (it.seekToFirst(); it.valid(); it.next()) {
                            projected.add(new Entry(it.key(), it.seq(), it.kind(), it.row().toObjects()));
                        }
                        statsProjected = it.stats();
                    }
                    ScanStats statsFull;
                    try (EntryIterator it = reader.newIterator()) {
                        for (it.seekToFirst(); it.valid(); it.next()) {
                            it.row();
                        }
                        statsFull = it.stats();
                    }
                    List<Entry> expected = new ArrayList<>();
                    for (Entry e : entries) {
                        Object[] values = e.values().clone();
                        for (int c = 0; c < values.length; c++) {
                            if (!columns[c]) {
                                values[c] = null;
                            }
                        }
                        expected.add(new Entry(e.key(), e.seq(), e.kind(), values));
                    }
                    assertThat(projected).as(context).containsExactlyElementsOf(expected);
                    // key, seq and kind are read in both; a column not read saves one page read per page
                    assertThat(statsProjected.pagesRead).as(context).isEqualTo(all ? statsFull.pagesRead
                            : statsFull.pagesRead / (3 + columns.length) * (3 + count(columns)));
                    assertThat(statsProjected.bytesRead).as(context).isLessThanOrEqualTo(statsFull.bytesRead);
                    checkSeeks(r, reader, columns, expected, context);
                }
                allocator.assertNoLeaks();
            }
        }
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    private static void checkSeeks(SplittableRandom r, SstReader reader, boolean[] columns, List<Entry> expected, String context) {
        try (EntryIterator it = EntryIterator.projecting(reader, columns)) {
            for (int q = 0; q < 30; q++) {
                int at = r.nextInt(expected.size());
                while (at > 0 && java.util.Arrays.equals(expected.get(at - 1).key(), expected.get(at).key())) {
                    at--; // a seek lands on a key's newest version
                }
                byte[] key = expected.get(at).key();
                it.seek(new UnsafeBuffer(key), 0, key.length);
                for (int i = at; i < Math.min(expected.size(), at + 3); i++) {
                    assertThat(it.valid()).as(context).isTrue();
                    assertThat(new Entry(it.key(), it.seq(), it.kind(), it.row().toObjects())).as(context).isEqualTo(expected.get(i));
                    it.next();
                }
            }
        }
    }

    @Test
    void aProjectingIteratorCannotBeCopiedFromAndChecksItsFlags() {
        SplittableRandom r = Seeds.random("EntryIteratorProjectionTest.aProjectingIteratorCannotBeCopiedFromAndChecksItsFlags");
        try (OffHeapAllocator allocator = new OffHeapAllocator("projection", Long.MAX_VALUE)) {
            Schema schema = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").column("s", "STRING").primaryKey("id").build();
            List<Entry> entries = TestData.randomEntries(r, schema, 50, allocator);
            Path path = dir.resolve("copy.sst");
            TestData.write(path, schema, SstOptions.defaults(), entries, allocator);
            try (SstReader reader = SstReader.open(path, allocator)) {
                try (EntryIterator it = EntryIterator.projecting(reader, new boolean[] {true, false, true})) {
                    it.seekToFirst();
                    assertThatThrownBy(it::valueColumns).isInstanceOf(IllegalStateException.class).hasMessageContaining("copy.sst");
                }
                try (EntryIterator it = EntryIterator.projecting(reader, new boolean[] {true, true, true})) {
                    it.seekToFirst();
                    assertThat(it.valueColumns()).hasSize(3);
                }
                assertThatThrownBy(() -> EntryIterator.projecting(reader, new boolean[2])).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("2 projection flags");
            }
            allocator.assertNoLeaks();
        }
    }
}
