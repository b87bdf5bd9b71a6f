package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.floe.changelog.SyncMode;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A point lookup ({@link Lookup#get}) allocates nothing on the heap once its files' lookup state and
 * pages are cached: the lookup-join path of a Flink job runs it per input record. Counted with the
 * JVM's per-thread allocation counter, which is exact and does not depend on timing. The path's
 * bytecode allocates nothing (checked with the {@code io.floe} classes interpreted), so this holds
 * before and after JIT compilation. Keys are found in the mutable memtable, in two sorted runs, and
 * not at all.
 */
class LookupAllocationTest {
    private static final int KEYS = 2_000;

    @TempDir
    Path dir;

    @Test
    void aWarmLookupAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "the JVM counts allocated bytes per thread");
        TableOptions options = TableOptions.defaults().withWriteBuffer(new WriteBufferOptions(1 << 20, 2));
        try (Floe floe = Floe.open(dir, FloeOptions.defaults(), SyncMode.NONE)) {
            Table t = floe.createTable("t", TableHarness.SCHEMA, options);
            try (TableHarness h = new TableHarness(t)) {
                for (long id = 0; id < KEYS; id += 2) { // even ids: run 1
                    h.upsert(id, id, "a");
                }
                h.flush();
                for (long id = 0; id < KEYS; id += 4) { // every fourth: run 2, newer
                    h.upsert(id, id + 1, "b");
                }
                h.flush();
                for (long id = 1; id < KEYS; id += 10) { // some odd ids: the memtable
                    h.upsert(id, id, "m");
                }
            }
            try (Lookup lookup = t.newLookup()) {
                UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
                int found = 0;
                for (int pass = 0; pass < 3; pass++) { // warm: each file's lookup state and pages
                    found = pass(lookup, key);
                }
                assertThat(found).isEqualTo(KEYS / 2 + KEYS / 10);
                long thread = Thread.currentThread().getId();
                int passes = 10;
                long before = threads.getThreadAllocatedBytes(thread);
                for (int pass = 0; pass < passes; pass++) {
                    found = pass(lookup, key);
                }
                long allocated = threads.getThreadAllocatedBytes(thread) - before;
                assertThat(found).isEqualTo(KEYS / 2 + KEYS / 10);
                // Under a byte per get: any object made per call (16 bytes or more) fails this.
                assertThat((double) allocated / ((long) passes * KEYS)).as("heap bytes per Lookup.get (%d in all)", allocated)
                        .isLessThan(1.0);
            }
        }
    }

    /** Looks up every id in [0, KEYS) once; returns how many were found with their newest value. */
    private static int pass(Lookup lookup, UnsafeBuffer key) {
        int found = 0;
        for (long id = 0; id < KEYS; id++) {
            key.putLong(0, id ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
            if (lookup.get(key, 0, 8)) {
                long expected = id % 4 == 0 ? id + 1 : id;
                if (lookup.row().getLong(1) != expected) {
                    throw new AssertionError("id " + id + ": v " + lookup.row().getLong(1) + ", expected " + expected);
                }
                found++;
            }
        }
        return found;
    }
}
