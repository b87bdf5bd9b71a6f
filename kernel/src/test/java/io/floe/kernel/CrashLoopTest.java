package io.floe.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.floe.changelog.SyncMode;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.common.testing.ChildJvm;
import io.floe.common.testing.Seeds;
import io.floe.kernel.options.AggregateFunction;
import io.floe.kernel.options.AggregationDeletePolicy;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.MergeEngineOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 crash loop: a child JVM writes write number i to key {@code i % KEYS} (v = i, cnt += 1
 * under the aggregation engine) and commits every 40 writes, printing each committed i; the parent
 * kills it at a random moment with {@link Process#destroyForcibly()}, reopens the table and checks
 * that every committed write is there and that none was applied twice (cnt of key k is exactly the
 * number of writes to k up to its v). The child resumes from the highest v. 20 cycles by default;
 * more with {@code -Dfloe.crash.cycles=N}.
 */
class CrashLoopTest {
    static final int KEYS = 300;
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").column("cnt", "BIGINT")
            .primaryKey("id").build();
    private static final int CYCLES = Integer.getInteger("floe.crash.cycles", 20);

    @TempDir
    Path dir;

    static TableOptions options() {
        return TableOptions.defaults().withBuckets(2).withWriteBuffer(new WriteBufferOptions(16 << 10, 2))
                .withMergeEngine(MergeEngineOptions.aggregation(Map.of("cnt", AggregateFunction.SUM), AggregateFunction.LAST_NON_NULL,
                        AggregationDeletePolicy.REJECT));
    }

    @Test
    void committedWritesSurviveKill9() throws Exception {
        SplittableRandom r = Seeds.random("CrashLoopTest");
        long lastCommitted = -1;
        int runs = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            long committed;
            try (ChildJvm child = ChildJvm.start(Child.class, List.of(), dir.toString())) {
                // The child prints "C i" once commit i returned; the last one printed before the kill counts.
                committed = ChildJvm.lastNumber(child.killAfter("READY", 100 + r.nextInt(900)), "C ", -1);
            }
            lastCommitted = Math.max(lastCommitted, committed);
            runs = Math.max(runs, verify(lastCommitted, cycle));
        }
        assertTrue(lastCommitted > 0, "no write was ever committed");
        assertTrue(runs > 0, "no memtable was ever flushed: the loop did not exercise recovery above a flushed seq");
    }

    /** Opens the table after a kill and checks every committed write, and no double application. */
    private int verify(long lastCommitted, int cycle) {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.table("t", SCHEMA, options());
            Map<Long, long[]> rows = CountedRows.of(t);
            for (long k = 0; k < KEYS && k <= lastCommitted; k++) {
                long lastWrite = k + (lastCommitted - k) / KEYS * KEYS;
                long[] got = rows.get(k);
                assertTrue(got != null, "cycle " + cycle + ": key " + k + " lost (committed up to write " + lastCommitted + ")");
                assertTrue(got[0] >= lastWrite, "cycle " + cycle + ": key " + k + " has write " + got[0] + ", committed " + lastWrite);
            }
            for (Map.Entry<Long, long[]> e : rows.entrySet()) {
                long k = e.getKey();
                long v = e.getValue()[0];
                assertEquals((v - k) / KEYS + 1, e.getValue()[1], "cycle " + cycle + ": key " + k + " at write " + v
                        + " counts a write twice or lost one");
            }
            int runs = t.stats(0).sortedRuns() + t.stats(1).sortedRuns();
            t.close();
            return runs;
        }
    }

    /** The child: resumes after the highest write present, writes forever, commits every 40 writes. */
    public static final class Child {
        public static void main(String[] args) {
            Floe floe = Floe.open(Path.of(args[0]), FloeOptions.defaults(), SyncMode.NONE);
            Table t = floe.table("t", SCHEMA, options());
            long next = 0;
            try (Snapshot s = t.snapshot()) {
                for (int b = 0; b < s.bucketCount(); b++) {
                    try (RowScan scan = s.scan(b, ScanOptions.all())) {
                        while (scan.next()) {
                            next = Math.max(next, scan.row().getLong(1) + 1);
                        }
                    }
                }
            }
            OffHeapAllocator scratch = new OffHeapAllocator("child rows", Long.MAX_VALUE);
            RowWriter row = new RowWriter(SCHEMA, scratch);
            RowReader reader = new RowReader(SCHEMA);
            BucketWriter[] writers = {t.writer(0), t.writer(1)};
            System.out.println("READY");
            System.out.flush();
            for (long i = next; ; i++) {
                row.reset().setAll(i % KEYS, i, 1L);
                row.complete();
                int b = t.bucketOf(reader.wrap(row.buffer(), 0, row.length()));
                writers[b].upsert(row.buffer(), 0, row.length());
                if (i % 40 == 39) {
                    for (BucketWriter w : writers) {
                        w.commit(i);
                    }
                    System.out.println("C " + i);
                    System.out.flush();
                }
            }
        }
    }
}
