package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.RowKind;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.schema.TypeRoot;
import io.floe.common.testing.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SstWriter#addFrom} (the compaction's column-to-column copy) against {@link SstWriter#add}
 * of the assembled row, and {@link EntryIterator#nextMayShareKey()} against the file's entries.
 */
class SstCopyTest {
    @TempDir
    Path dir;

    @Test
    void copiedEntriesReadBackAsTheRowPathWritesThem() {
        SplittableRandom r = Seeds.random("SstCopyTest.copiedEntriesReadBackAsTheRowPathWritesThem");
        for (int round = 0; round < 10; round++) {
            try (OffHeapAllocator allocator = new OffHeapAllocator("copy", Long.MAX_VALUE)) {
                Schema schema = TestData.randomSchema(r);
                List<Entry> entries = TestData.randomEntries(r, schema, 1 + r.nextInt(1200), allocator);
                Path source = dir.resolve("source-" + round + ".sst");
                TestData.write(source, schema, TestData.randomOptions(r, schema), entries, allocator);
                // Copy every entry, some with another kind (as a compaction folding a row does), into
                // a file with other page and row group limits, both ways.
                SstOptions copyOptions = TestData.randomOptions(r, schema);
                boolean[] asInsert = new boolean[entries.size()];
                for (int i = 0; i < asInsert.length; i++) {
                    asInsert[i] = entries.get(i).kind() != RowKind.DELETE && r.nextBoolean();
                }
                Path copied = dir.resolve("copied-" + round + ".sst");
                Path assembled = dir.resolve("assembled-" + round + ".sst");
                List<Entry> expected = new ArrayList<>();
                try (SstReader reader = SstReader.open(source, allocator);
                     EntryIterator it = reader.newIterator();
                     SstWriter a = SstWriter.open(copied, schema, copyOptions, allocator);
                     SstWriter b = SstWriter.open(assembled, schema, copyOptions, allocator)) {
                    int i = 0;
                    for (it.seekToFirst(); it.valid(); it.next(), i++) {
                        RowKind kind = asInsert[i] ? RowKind.INSERT : it.kind();
                        a.addFrom(it, it.seq(), kind);
                        var row = it.row();
                        b.add(it.keyBuffer(), it.keyOffset(), it.keyLength(), it.seq(), kind, row.buffer(), row.offset(), row.length());
                        Entry e = entries.get(i);
                        expected.add(new Entry(e.key(), e.seq(), kind, e.values()));
                    }
                    SstMetadata ma = a.finish();
                    SstMetadata mb = b.finish();
                    assertThat(ma.stats()).isEqualTo(mb.stats());
                    assertThat(ma.fileSize()).isEqualTo(mb.fileSize());
                }
                try (SstReader ra = SstReader.open(copied, allocator); SstReader rb = SstReader.open(assembled, allocator)) {
                    assertThat(SstModelTest.readAll(ra)).as("round %d, schema %s", round, schema).containsExactlyElementsOf(expected);
                    assertThat(SstModelTest.readAll(rb)).containsExactlyElementsOf(expected);
                }
                allocator.assertNoLeaks();
            }
        }
    }

    @Test
    void nextMayShareKeyIsFalseOnlyBeforeAnotherKey() {
        SplittableRandom r = Seeds.random("SstCopyTest.nextMayShareKeyIsFalseOnlyBeforeAnotherKey");
        try (OffHeapAllocator allocator = new OffHeapAllocator("peek", Long.MAX_VALUE)) {
            Schema schema = TestData.randomSchema(r);
            List<Entry> entries = TestData.randomEntries(r, schema, 2_000, allocator);
            Path path = dir.resolve("peek.sst");
            TestData.write(path, schema, TestData.randomOptions(r, schema), entries, allocator);
            int sure = 0;
            try (SstReader reader = SstReader.open(path, allocator); EntryIterator it = reader.newIterator()) {
                int i = 0;
                for (it.seekToFirst(); it.valid(); it.next(), i++) {
                    boolean nextShares = i + 1 < entries.size() && Arrays.equals(entries.get(i).key(), entries.get(i + 1).key());
                    if (nextShares) {
                        assertThat(it.nextMayShareKey()).as("entry %d", i).isTrue();
                    } else if (!it.nextMayShareKey()) {
                        sure++;
                    }
                }
            }
            // The peek is sure within a page, which is almost everywhere.
            assertThat(sure).isGreaterThan(0);
        }
    }

    @Test
    void aFileOfOtherColumnsIsRefused() {
        try (OffHeapAllocator allocator = new OffHeapAllocator("other", Long.MAX_VALUE)) {
            Schema one = Schema.builder().column("id", ColumnType.of(TypeRoot.BIGINT).notNull()).primaryKey("id").build();
            Schema two = Schema.builder().column("id", ColumnType.of(TypeRoot.BIGINT).notNull()).column("v", ColumnType.of(TypeRoot.STRING))
                    .primaryKey("id").build();
            SplittableRandom r = new SplittableRandom(1);
            Path source = dir.resolve("one.sst");
            TestData.write(source, one, SstOptions.defaults(), TestData.randomEntries(r, one, 10, allocator), allocator);
            try (SstReader reader = SstReader.open(source, allocator);
                 EntryIterator it = reader.newIterator();
                 SstWriter w = SstWriter.open(dir.resolve("two.sst"), two, SstOptions.defaults(), allocator)) {
                it.seekToFirst();
                assertThatThrownBy(() -> w.addFrom(it, it.seq(), it.kind()))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("two.sst").hasMessageContaining("v");
            }
        }
    }
}
