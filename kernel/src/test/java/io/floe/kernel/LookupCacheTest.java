package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.SyncMode;
import io.floe.common.testing.Seeds;
import io.floe.kernel.manifest.VersionSet;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Lookup}'s per-file state and page cache across writes, flushes and compactions: one
 * long-lived lookup per thread against a {@link TreeMap} model, with budgets from none to the
 * default, files removed under it by compaction (their state dropped at the next get), several
 * threads at once; after close no off-heap byte is left.
 */
class LookupCacheTest {
    private static final int KEYS = 300;

    @TempDir
    Path dir;

    @Test
    void longLivedLookupFollowsFlushesAndCompactions() {
        SplittableRandom r = Seeds.random("LookupCacheTest.longLivedLookupFollowsFlushesAndCompactions");
        TableOptions options = TableOptions.defaults().withBuckets(2).withWriteBuffer(new WriteBufferOptions(8 << 10, 2));
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            long[] budgets = {0, 4 << 10, 64 << 10, Lookup.DEFAULT_CACHE_BYTES};
            TreeMap<Long, Object[]> model = new TreeMap<>();
            try (TableHarness h = new TableHarness(t); Lookup lookup = t.newLookup()) {
                for (int step = 0; step < 4_000; step++) {
                    if (step % 1_000 == 0) {
                        lookup.setCacheBudgetBytes(budgets[step / 1_000]);
                    }
                    long id = r.nextInt(KEYS);
                    int op = r.nextInt(100);
                    if (op < 60) {
                        long v = r.nextLong(1_000_000);
                        String s = "s" + v + "x".repeat(r.nextInt(40));
                        h.upsert(id, v, s);
                        model.put(id, new Object[] {id, v, s});
                    } else if (op < 70) {
                        h.delete(id);
                        model.remove(id);
                    } else if (op < 72) {
                        h.flush();
                    } else if (op < 73) {
                        t.compact(r.nextInt(2));
                    } else {
                        for (int q = 0; q < 5; q++) {
                            long k = r.nextInt(KEYS);
                            assertThat(h.lookup(lookup, k)).as("key %d at step %d", k, step).isEqualTo(model.get(k));
                        }
                        // Exact against the version the lookup pinned: a background compaction may have removed files since.
                        assertThat(lookup.cachedFilesNotLive()).as("files kept that its version does not name, step %d", step).isZero();
                    }
                }
                t.compact(0);
                t.compact(1);
                for (long k = 0; k < KEYS; k++) {
                    assertThat(h.lookup(lookup, k)).as("key %d after compaction", k).isEqualTo(model.get(k));
                }
                assertThat(lookup.cachedFilesNotLive()).isZero();
                assertThat(lookup.cachedFiles()).isLessThanOrEqualTo(liveFiles(t));
                assertThat(lookup.cache().hits()).isPositive();
                assertThat(t.stats(0).flushes() + t.stats(1).flushes()).isPositive();
            }
            t.close();
            assertThat(floe.offHeapBytes()).as("off-heap bytes left after the table closed").isZero();
        }
    }

    /**
     * Writer rounds set every key's v to the round (descending key order); readers with their own
     * small-budget lookups see each key's v never go back, always with its matching s, never
     * beyond the round being written; after the last round every reader sees it everywhere.
     */
    @Test
    void concurrentLookupsNeverGoBack() throws Exception {
        TableOptions options = TableOptions.defaults().withBuckets(2).withWriteBuffer(new WriteBufferOptions(4 << 10, 2));
        int rounds = 30;
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writing = new AtomicLong(0);
            AtomicLong gets = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            try (TableHarness h = new TableHarness(t)) {
                for (long k = 0; k < KEYS; k++) {
                    h.upsert(k, 0L, "r0");
                }
                for (int i = 0; i < 3; i++) {
                    long budget = i == 0 ? 0 : i == 1 ? 16 << 10 : Lookup.DEFAULT_CACHE_BYTES;
                    long seed = 1000 + i;
                    Thread reader = new Thread(() -> {
                        SplittableRandom r = new SplittableRandom(seed);
                        long[] seen = new long[KEYS];
                        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
                        try (Lookup lookup = t.newLookup().setCacheBudgetBytes(budget)) {
                            while (!stop.get()) {
                                int k = r.nextInt(KEYS);
                                key.putLong(0, k ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
                                assertThat(lookup.get(key, 0, 8)).as("key %d", k).isTrue();
                                long v = lookup.row().getLong(1);
                                assertThat(lookup.row().getString(2)).isEqualTo("r" + v);
                                assertThat(v).as("key %d went back", k).isGreaterThanOrEqualTo(seen[k]);
                                assertThat(v).as("key %d ahead of the writer", k).isLessThanOrEqualTo(writing.get());
                                seen[k] = v;
                                gets.incrementAndGet();
                            }
                            for (int k = 0; k < KEYS; k++) {
                                key.putLong(0, k ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
                                assertThat(lookup.get(key, 0, 8)).isTrue();
                                assertThat(lookup.row().getLong(1)).as("key %d at the end", k).isEqualTo((long) rounds);
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    });
                    reader.start();
                    readers.add(reader);
                }
                for (long round = 1; round <= rounds; round++) {
                    writing.set(round);
                    for (long k = KEYS - 1; k >= 0; k--) {
                        h.upsert(k, round, "r" + round);
                    }
                    if (round % 10 == 0) {
                        t.compact(0);
                    }
                }
                stop.set(true);
                for (Thread reader : readers) {
                    reader.join();
                }
                assertThat(t.stats(0).flushes()).isPositive();
                assertThat(gets.get()).as("lookups done").isPositive();
            }
            t.close();
            assertThat(floe.offHeapBytes()).as("off-heap bytes left after the table closed").isZero();
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a reader failed", errors.peek());
        }
    }

    private static int liveFiles(Table t) {
        try (VersionSet.Pin pin = t.context().versions().pin()) {
            return pin.version().allFiles().size();
        }
    }
}
