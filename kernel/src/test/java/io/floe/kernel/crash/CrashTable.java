package io.floe.kernel.crash;

import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.kernel.options.CompactionOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;

/**
 * The table of the expected-state crash test, shared by the child that writes it and the parent
 * that checks it: {@code (id BIGINT NOT NULL, v BIGINT, pad STRING)}, primary key {@code id}, the
 * deduplicate engine, {@value #BUCKETS} buckets, 4 KiB memtables (the smallest: a flush every 50 or
 * so writes to a bucket) and compaction from 2 sorted runs, so that cycles flush and compact even
 * on a slow machine.
 *
 * <p>Write number {@code op} (numbered across the whole test, never reused) writes the row
 * {@code (key, op, pad(op))}, for an upsert and a delete alike (a delete's changelog record keeps
 * the row as given): every value in the table and every changelog record names the write it came
 * from, and its pad (0 to 40 characters, a function of op) checks the variable-length part.
 */
final class CrashTable {
    static final String NAME = "t";
    static final int BUCKETS = 4;
    static final int KEYS = 2_000;
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").column("pad", "STRING")
            .primaryKey("id").build();

    private CrashTable() {
    }

    static TableOptions options() {
        CompactionOptions c = CompactionOptions.defaults();
        return TableOptions.defaults().withBuckets(BUCKETS).withWriteBuffer(new WriteBufferOptions(WriteBufferOptions.MIN_MEMTABLE_BYTES, 2))
                .withCompaction(new CompactionOptions(2, c.maxSizeAmplificationPercent(), c.sizeRatioPercent(), c.minMergeWidth(),
                        c.maxMergeWidth()));
    }

    /** Returns the pad column of write {@code op}. */
    static String pad(long op) {
        int length = (int) Math.floorMod(op * 7, 41L);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + Math.floorMod(op + i, 26L));
        }
        return new String(chars);
    }

    /** Makes {@code row} the row of write {@code op} to {@code key}; returns its length. */
    static int row(RowWriter row, long key, long op) {
        row.reset().setLong(0, key).setLong(1, op).setString(2, pad(op));
        return row.complete();
    }
}
