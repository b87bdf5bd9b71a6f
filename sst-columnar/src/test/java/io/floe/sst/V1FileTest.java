package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.OffHeapAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of SST format version 1 (the first format, with the bit-scattered bloom filter) stay
 * readable: {@code v1/reference.sst} is {@link ReferenceFile} as the version-1 writer wrote it
 * (generated at commit time by {@link #writeFixture}, before the writer moved to version 2), read
 * here by the current reader against the model and against a freshly written file.
 */
class V1FileTest {
    static final String FIXTURE = "v1/reference.sst";

    @TempDir
    Path dir;
    final OffHeapAllocator allocator = new OffHeapAllocator("v1", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    /**
     * Regenerates the fixture from the current writer; only meaningful with a version-1 writer. Run with
     * {@code mvn -B -o test -pl sst-columnar -Dtest=V1FileTest#writeFixture -Dfloe.test.jvm.extra=-Dfloe.sst.writeV1Fixture=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "floe.sst.writeV1Fixture", matches = "true")
    void writeFixture() throws IOException {
        Path target = Path.of("src/test/resources/io/floe/sst").resolve(FIXTURE);
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        ReferenceFile.write(target, allocator);
    }

    @Test
    void versionOneFileIsReadByVersion() throws IOException {
        Path path = copyFixture(dir);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.getInt(SstLayout.HEADER_VERSION_OFFSET)).isEqualTo(1);
        assertThat(bytes.getInt(bytes.capacity() - SstLayout.TRAILER_BYTES + SstLayout.TRAILER_VERSION)).isEqualTo(1);
        try (SstReader reader = SstReader.open(path, allocator)) {
            assertThat(reader.version()).isEqualTo(1);
            assertThat(reader.metadata().keys()).isEqualTo(SstMetadata.KeyMultiplicity.UNKNOWN);
            assertThat(SstDump.describe(reader)).startsWith("file " + bytes.capacity() + " bytes, version 1\n").contains("bloom @");
        }
    }

    /** Entries, seeks, lookups at every snapshot and missing keys, against the model the fixture was written from. */
    @Test
    void versionOneFileReadsAsTheModel() throws IOException {
        Path path = copyFixture(dir);
        List<Entry> entries = ReferenceFile.entries(allocator);
        try (SstReader reader = SstReader.open(path, allocator)) {
            assertThat(reader.schema()).isEqualTo(ReferenceFile.SCHEMA);
            assertThat(reader.metadata().rowCount()).isEqualTo(entries.size());
            assertThat(SstModelTest.readAll(reader)).containsExactlyElementsOf(entries);
            try (EntryIterator it = reader.newIterator()) {
                Entry middle = entries.get(entries.size() / 2);
                it.seek(new UnsafeBuffer(middle.key()), 0, middle.key().length);
                assertThat(it.valid()).isTrue();
                assertThat(it.key()).isEqualTo(middle.key());
            }
            try (PointLookup lookup = reader.newLookup()) {
                for (int i = 0; i < entries.size(); i++) {
                    Entry e = entries.get(i);
                    UnsafeBuffer key = new UnsafeBuffer(e.key());
                    assertThat(lookup.get(key, 0, key.capacity(), e.seq())).as("get %s at its seq", e).isTrue();
                    assertThat(new Entry(e.key(), lookup.seq(), lookup.kind(), lookup.row().toObjects())).isEqualTo(e);
                    boolean newest = i == 0 || !java.util.Arrays.equals(entries.get(i - 1).key(), e.key());
                    if (newest) {
                        assertThat(lookup.get(key, 0, key.capacity(), Long.MAX_VALUE)).isTrue();
                        assertThat(lookup.seq()).isEqualTo(e.seq());
                    }
                }
                assertThat(lookup.stats().bloomNegatives).isZero();
                // Ids are multiples of 10: id + 5 lies inside the file's key range and is absent.
                int misses = 0;
                for (long id = 0; id < 59; id++) {
                    UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
                    key.putLong(0, (id * 10 + 5) ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
                    assertThat(lookup.get(key, 0, 8, Long.MAX_VALUE)).isFalse();
                    misses++;
                }
                // The version-1 filter at 8 bits/key passes ~2% of absent keys; a filter read as version 2 would pass ~none or all.
                assertThat(lookup.stats().bloomNegatives).isGreaterThan(misses * 3L / 4).isLessThanOrEqualTo(misses);
            }
        }
    }

    /** Everything the reader offers (iterator, lookups with and without a page cache, a scan) reads the same as in a new file. */
    @Test
    void versionOneFileReadsAsANewFile() throws IOException {
        Path v1 = copyFixture(dir);
        Path current = dir.resolve("current.sst");
        ReferenceFile.write(current, allocator);
        try (SstReader reader = SstReader.open(current, allocator)) {
            assertThat(reader.version()).isEqualTo(SstLayout.VERSION);
        }
        List<Entry> entries = ReferenceFile.entries(allocator);
        String expected = ReferenceFile.readEverything(current, entries, allocator);
        assertThat(expected).contains("scan ");
        assertThat(ReferenceFile.readEverything(v1, entries, allocator)).isEqualTo(expected);
    }

    static Path copyFixture(Path dir) throws IOException {
        return ReferenceFile.copyResource(FIXTURE, dir.resolve("v1.sst"));
    }
}
