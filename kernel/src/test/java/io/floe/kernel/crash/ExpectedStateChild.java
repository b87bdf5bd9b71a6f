package io.floe.kernel.crash;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.key.KeyEncoder;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.Floe;
import io.floe.kernel.Lookup;
import io.floe.kernel.Table;
import io.floe.kernel.options.FloeOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The child JVM of {@link ExpectedStateCrashTest}: opens the store with the kernel's defaults
 * (commits fsync the changelog), checks that every key holds what the {@link OracleState} says,
 * then writes until it is killed: batches of random upserts and deletes (each recorded as pending
 * in the {@link ExpectedLog} before it is made), three in five followed by a commit of every bucket
 * (each recorded as done once it returned; the others are covered by the next commit).
 *
 * <p>Arguments: the store directory, the oracle directory (its {@code state} and {@code log}), a
 * seed. Prints {@code READY} (with timings) once it writes, {@code S <flushes> <compactions>} after each batch,
 * {@code MISMATCH ...} and exits with status 3 if the table disagrees with the oracle at start,
 * {@code FULL} (and waits) if the log is full.
 */
public final class ExpectedStateChild {
    private ExpectedStateChild() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        Path oracle = Path.of(args[1]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        OracleState state = OracleState.load(oracle.resolve(ExpectedStateCrashTest.STATE));
        long started = System.nanoTime();
        Floe floe = Floe.open(store, FloeOptions.defaults());
        Table t = floe.table(CrashTable.NAME, CrashTable.SCHEMA, CrashTable.options());
        OffHeapAllocator scratch = new OffHeapAllocator("child rows", Long.MAX_VALUE);
        RowWriter row = new RowWriter(CrashTable.SCHEMA, scratch);
        RowReader reader = new RowReader(CrashTable.SCHEMA);
        KeyEncoder keys = t.keyEncoder();
        UnsafeBuffer key = new UnsafeBuffer(new byte[64]);
        long opened = System.nanoTime();
        try (Lookup lookup = t.newLookup()) {
            for (int k = 0; k < CrashTable.KEYS; k++) {
                int keyLength = keys.encode(reader.wrap(row.buffer(), 0, CrashTable.row(row, k, 0)), key, 0);
                long got = lookup.get(key, 0, keyLength) ? lookup.row().getLong(1) : -1;
                if (got != state.values[k]) {
                    System.out.println("MISMATCH at open: key " + k + " holds write " + got + ", the oracle says " + state.values[k]);
                    System.out.flush();
                    System.exit(3);
                }
            }
        }
        BucketWriter[] writers = new BucketWriter[CrashTable.BUCKETS];
        long checkpoint = 0;
        for (int b = 0; b < writers.length; b++) {
            writers[b] = t.writer(b);
            checkpoint = Math.max(checkpoint, writers[b].lastCommittedCheckpoint() + 1);
        }
        ExpectedLog log = ExpectedLog.create(oracle.resolve(ExpectedStateCrashTest.LOG));
        System.out.println("READY " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms up, open " + (opened - started) / 1_000_000
                + " ms, check " + (System.nanoTime() - opened) / 1_000_000 + " ms");
        System.out.flush();
        long op = state.nextOp;
        while (true) {
            int batch = 1 + random.nextInt(random.nextInt(8) == 0 ? 1_000 : 150);
            for (int i = 0; i < batch; i++, op++) {
                awaitRoom(log);
                // A quarter of the writes go to 40 hot keys, so that keys have many versions.
                long k = random.nextInt(4) == 0 ? random.nextInt(40) : random.nextInt(CrashTable.KEYS);
                boolean delete = random.nextInt(5) == 0;
                int length = CrashTable.row(row, k, op);
                int b = t.bucketOf(key, 0, keys.encode(reader.wrap(row.buffer(), 0, length), key, 0));
                log.pending(op, b, k, delete);
                if (delete) {
                    writers[b].delete(row.buffer(), 0, length);
                } else {
                    writers[b].upsert(row.buffer(), 0, length);
                }
            }
            if (random.nextInt(5) < 3) {
                int first = random.nextInt(writers.length);
                for (int i = 0; i < writers.length; i++) {
                    int b = (first + i) % writers.length;
                    writers[b].commit(checkpoint);
                    awaitRoom(log);
                    log.done(b, op - 1, checkpoint);
                }
                checkpoint++;
            }
            long flushes = 0;
            long compactions = 0;
            for (int b = 0; b < writers.length; b++) {
                flushes += t.stats(b).flushes();
                compactions += t.stats(b).compactions();
            }
            System.out.println("S " + flushes + " " + compactions);
            System.out.flush();
        }
    }

    /** Waits to be killed if the log is full. */
    private static void awaitRoom(ExpectedLog log) throws InterruptedException {
        if (!log.hasRoom()) {
            System.out.println("FULL");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
