package io.floe.kernel.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.ChildJvm;
import io.floe.common.testing.Seeds;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import io.floe.kernel.options.FloeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 crash loop with an expected-state oracle, in the manner of RocksDB's crash test. Each
 * cycle a child JVM ({@link ExpectedStateChild}) opens the table with the kernel's defaults (commits
 * fsync the changelog; 4 buckets; 4 KiB memtables, so it flushes and compacts all the time),
 * checks that it holds what the oracle says, and makes random upserts, deletes and commits, each
 * write recorded as pending in a crash-safe {@link ExpectedLog} before it is made and each commit
 * as done after it returned. The parent SIGKILLs it at a random moment (one cycle in eight before
 * it is ready: while the JVM starts, the store recovers or the child checks it), reopens the table
 * in-process and checks it with {@link CycleCheck}: every acknowledged write is there, every
 * in-flight write shows its old or its new value, nothing else changed, and the committed and
 * uncommitted changelog tailers from the start of each bucket see every seq once, in order, and
 * agree with the table. The oracle ({@link OracleState}) then takes what survived, and the next
 * child continues from it. A crash log of any JVM is a failure ({@link ChildJvm}).
 *
 * <p>50 cycles by default (about a minute); {@code -Dfloe.crash.expected.cycles=N} for more, and
 * {@code -Dfloe.crash.expected.minutes=M} to stop after M minutes whatever the count; the kernel's
 * {@code -Psoak} profile runs 1,500. The seed replays the workloads and the kill delays; where a
 * kill lands in the child's work depends on timing.
 */
class ExpectedStateCrashTest {
    static final String STATE = "state";
    static final String LOG = "log";
    private static final int CYCLES = Integer.getInteger("floe.crash.expected.cycles", 50);
    private static final long MINUTES = Long.getLong("floe.crash.expected.minutes", Long.MAX_VALUE / 60_000_000_000L);

    @TempDir
    Path root;

    @Test
    void acknowledgedWritesSurviveKill9AndNothingElseChanges() throws Exception {
        SplittableRandom r = Seeds.random("ExpectedStateCrashTest");
        Path store = root.resolve("store");
        Path oracle = Files.createDirectories(root.resolve("oracle"));
        OracleState state = new OracleState();
        long start = System.nanoTime();
        long deadline = start + MINUTES * 60_000_000_000L;
        long acknowledged = 0;
        long inFlight = 0;
        long survived = 0;
        long flushes = 0;
        long compactions = 0;
        int early = 0;
        int cycle = 0;
        for (; cycle < CYCLES && System.nanoTime() - deadline < 0; cycle++) {
            boolean beforeReady = r.nextInt(8) == 0;
            early += beforeReady ? 1 : 0;
            List<String> lines;
            String ready = "";
            long cycleStart = System.nanoTime();
            try (ChildJvm child = ChildJvm.start(root, ExpectedStateChild.class, List.of(), store.toString(), oracle.toString(),
                    Long.toString(r.nextLong()))) {
                if (!beforeReady) {
                    ready = child.await("READY", 60_000);
                }
                Thread.sleep(beforeReady ? 100 + r.nextInt(1_200) : 20 + r.nextInt(700));
                boolean diedByItself = !beforeReady && !child.isAlive();
                child.kill();
                lines = child.drainLines();
                assertThat(diedByItself).as("cycle %d: the child died before it was killed; its output:%n%s", cycle,
                        String.join("\n", lines)).isFalse();
            }
            String stats = "S 0 0";
            for (String line : lines) {
                assertThat(line).as("cycle %d: the child's output", cycle).doesNotStartWith("MISMATCH").doesNotContain("Exception");
                stats = line.startsWith("S ") ? line : stats;
            }
            // The child's counters since it opened the store, as of its last report.
            flushes += Long.parseLong(stats.split(" ")[1]);
            compactions += Long.parseLong(stats.split(" ")[2]);
            long killed = System.nanoTime();
            List<ExpectedLog.Entry> log = ExpectedLog.read(oracle.resolve(LOG));
            CycleCheck.Result result;
            try (Floe floe = Floe.open(store, FloeOptions.defaults())) {
                Table t = floe.table(CrashTable.NAME, CrashTable.SCHEMA, CrashTable.options());
                result = CycleCheck.verify(t, state, log, cycle);
                t.close();
            }
            state.store(oracle.resolve(STATE));
            Files.deleteIfExists(oracle.resolve(LOG));
            acknowledged += result.acknowledged();
            inFlight += result.inFlight();
            survived += result.inFlightSurvived();
            System.out.printf("cycle %d%s: %d acknowledged, %d in flight (%d survived), %d rows, %d sorted runs; child %d ms, check %d ms%n",
                    cycle, beforeReady ? " (killed before ready)" : "", result.acknowledged(), result.inFlight(), result.inFlightSurvived(),
                    result.presentKeys(), result.sortedRuns(), (killed - cycleStart) / 1_000_000, (System.nanoTime() - killed) / 1_000_000);
            System.out.println("  child: " + ready);
        }
        System.out.printf("[crash] ExpectedStateCrashTest: %d cycles (%d killed before ready) in %d s: %d acknowledged writes checked,"
                        + " %d in flight at a kill (%d of them survived), %d writes in all, child flushes %d, compactions %d, 0 losses%n",
                cycle, early, (System.nanoTime() - start) / 1_000_000_000L, acknowledged, inFlight, survived, state.nextOp, flushes,
                compactions);
        assertThat(acknowledged).as("no write was ever acknowledged").isPositive();
        assertThat(flushes).as("no memtable was ever flushed").isPositive();
        assertThat(compactions).as("no compaction ever ran").isPositive();
    }
}
