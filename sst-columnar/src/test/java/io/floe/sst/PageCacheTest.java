package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point lookups through one {@link PageCache} shared by the lookups of several random files, with
 * budgets from nothing to everything, against a list model: every answer as without the cache, the
 * cache within its budget (beyond it only by the pages of the lookup under way), pages of a closed
 * lookup's file gone, and no off-heap memory left after close.
 */
class PageCacheTest {
    @TempDir
    Path dir;

    @Test
    void cachedLookupsAnswerAsTheModelWithinBudget() {
        SplittableRandom r = Seeds.random("PageCacheTest.cachedLookupsAnswerAsTheModelWithinBudget");
        for (int round = 0; round < 6; round++) {
            OffHeapAllocator allocator = new OffHeapAllocator("page-cache", Long.MAX_VALUE);
            int fileCount = 1 + r.nextInt(4);
            List<List<Entry>> models = new ArrayList<>();
            List<SstReader> readers = new ArrayList<>();
            long budget = switch (round % 3) {
                case 0 -> 0;
                case 1 -> 1 + r.nextInt(64 << 10);
                default -> 256L << 20;
            };
            try {
                for (int f = 0; f < fileCount; f++) {
                    Schema schema = TestData.randomSchema(r);
                    List<Entry> entries = TestData.randomEntries(r, schema, 1 + r.nextInt(800), allocator);
                    Path path = dir.resolve("round-" + round + "-file-" + f + ".sst");
                    TestData.write(path, schema, TestData.randomOptions(r, schema), entries, allocator);
                    models.add(entries);
                    readers.add(SstReader.open(path, allocator));
                }
                String context = "round " + round + " budget " + budget;
                try (PageCache cache = new PageCache(allocator, budget)) {
                    PointLookup[] lookups = new PointLookup[fileCount];
                    for (int f = 0; f < fileCount; f++) {
                        lookups[f] = readers.get(f).newLookup(cache);
                    }
                    for (int q = 0; q < 1500; q++) {
                        int f = r.nextInt(fileCount);
                        if (lookups[f] == null) {
                            continue;
                        }
                        check(r, lookups[f], models.get(f), context + " file " + f);
                        assertThat(cache.bytes() <= budget || cache.entries() == cache.entriesInUse())
                                .as(context + ": %d bytes in %d pages, %d in use", cache.bytes(), cache.entries(), cache.entriesInUse()).isTrue();
                        if (q == 1000 && fileCount > 1) {
                            int before = cache.entries();
                            int gone = r.nextInt(fileCount);
                            lookups[gone].close();
                            lookups[gone].close(); // idempotent
                            lookups[gone] = null;
                            assertThat(cache.entries()).as(context).isLessThanOrEqualTo(before);
                        }
                    }
                    if (budget == 0) {
                        assertThat(cache.evictions()).as(context).isPositive();
                    }
                    if (budget > (1 << 20)) {
                        assertThat(cache.evictions()).as(context).isZero();
                        assertThat(cache.hits()).as(context).isPositive();
                    }
                    for (PointLookup l : lookups) {
                        if (l != null) {
                            l.close();
                        }
                    }
                    assertThat(cache.entries()).as(context).isZero();
                    assertThat(cache.bytes()).as(context).isZero();
                }
            } finally {
                readers.forEach(SstReader::close);
            }
            allocator.assertNoLeaks();
        }
    }

    /**
     * A cache whose budget exceeds what its allocator may still give: at the allocator's limit it
     * frees the pages not in use and decodes again, so lookups keep answering as without a cache.
     */
    @Test
    void cacheAtTheAllocatorLimitEvictsInsteadOfFailing() {
        SplittableRandom r = Seeds.random("PageCacheTest.cacheAtTheAllocatorLimitEvictsInsteadOfFailing");
        try (OffHeapAllocator writing = new OffHeapAllocator("writing", Long.MAX_VALUE)) {
            Schema schema = TestData.randomSchema(r);
            List<Entry> entries = TestData.randomEntries(r, schema, 1500, writing);
            Path path = dir.resolve("limited.sst");
            TestData.write(path, schema, SstOptions.defaults().withPage(4 << 10, 1 << 16), entries, writing);
            long limit;
            try (OffHeapAllocator probe = new OffHeapAllocator("probe", Long.MAX_VALUE);
                 SstReader reader = SstReader.open(path, probe);
                 PageCache cache = new PageCache(probe, Long.MAX_VALUE);
                 PointLookup lookup = reader.newLookup(cache)) {
                for (Entry e : entries) {
                    lookup.get(new UnsafeBuffer(e.key()), 0, e.key().length, Long.MAX_VALUE);
                }
                limit = probe.peakBytes() / 3; // room for a few lookups' pages, not for the whole file's
                assertThat(cache.entries()).isGreaterThan(20);
            }
            try (OffHeapAllocator limited = new OffHeapAllocator("limited", limit)) {
                try (SstReader reader = SstReader.open(path, limited);
                     PageCache cache = new PageCache(limited, Long.MAX_VALUE);
                     PointLookup lookup = reader.newLookup(cache)) {
                    for (int q = 0; q < 3000; q++) {
                        check(r, lookup, entries, "limit " + limit);
                    }
                    assertThat(cache.bytes()).isLessThanOrEqualTo(limit);
                }
                limited.assertNoLeaks();
            }
        }
    }

    @Test
    void closedCacheRefusesNewFiles() {
        SplittableRandom r = Seeds.random("PageCacheTest.closedCacheRefusesNewFiles");
        try (OffHeapAllocator allocator = new OffHeapAllocator("page-cache", Long.MAX_VALUE)) {
            Schema schema = TestData.randomSchema(r);
            List<Entry> entries = TestData.randomEntries(r, schema, 50, allocator);
            Path path = dir.resolve("closed.sst");
            TestData.write(path, schema, SstOptions.defaults(), entries, allocator);
            try (SstReader reader = SstReader.open(path, allocator)) {
                PageCache cache = new PageCache(allocator, 1 << 20);
                cache.close();
                assertThatThrownBy(() -> reader.newLookup(cache)).isInstanceOf(IllegalStateException.class);
            }
            assertThatThrownBy(() -> new PageCache(allocator, -1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** One random probe (present key, near miss or random bytes) at a random snapshot, against the model. */
    private static void check(SplittableRandom r, PointLookup lookup, List<Entry> entries, String context) {
        byte[] key = entries.get(r.nextInt(entries.size())).key().clone();
        if (r.nextInt(4) == 0) {
            key = Arrays.copyOf(key, key.length + 1);
        } else if (r.nextInt(4) == 0) {
            key[key.length - 1]--;
        }
        long maxSeq = 1L << 40;
        long snapshot = r.nextInt(3) == 0 ? Long.MAX_VALUE : r.nextLong(0, maxSeq);
        Entry expected = null;
        for (Entry e : entries) {
            if (Arrays.equals(e.key(), key) && e.seq() <= snapshot) {
                expected = e;
                break;
            }
        }
        boolean found = lookup.get(new UnsafeBuffer(key), 0, key.length, snapshot);
        String what = context + " key " + java.util.HexFormat.of().formatHex(key) + " at " + snapshot;
        assertThat(found).as(what).isEqualTo(expected != null);
        if (found) {
            assertThat(new Entry(key, lookup.seq(), lookup.kind(), lookup.row().toObjects())).as(what).isEqualTo(expected);
        }
    }
}
