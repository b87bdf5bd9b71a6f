package io.floe.kernel.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.floe.common.io.FaultPoint;
import io.floe.common.testing.ChildJvm;
import io.floe.common.testing.Seeds;
import io.floe.common.testing.faults.DurabilityModel;
import io.floe.common.testing.faults.FaultInjector;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import io.floe.kernel.options.FloeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill points: a child JVM ({@link KillPointChild}) runs the fault workload and halts
 * ({@code Runtime.halt}) at the n-th hit of one named point of the write path; the parent reopens
 * the table and checks that every acknowledged commit is there, none is doubled and no bucket has
 * a hole ({@link FaultWorkload#check}), that the files are sound ({@link FaultWorkload#checkFiles}),
 * and that writing goes on after the recovery.
 *
 * <p>Each point is crashed in two ways: a process crash (the page cache survives) and a machine
 * crash, where the files then lose what was not synced ({@link DurabilityModel}). A first, unarmed
 * run counts each point's hits; each case picks its hit at random in that range. By default every
 * point is crashed once per way; {@code -Dfloe.faults.cases=N} (the {@code faults-soak} profile)
 * crashes each N times per way.
 */
class KillPointTest {
    static final List<FaultPoint> POINTS = List.of(FaultPoint.CHANGELOG_APPEND, FaultPoint.CHANGELOG_SYNC_BEFORE,
            FaultPoint.CHANGELOG_SYNC_AFTER, FaultPoint.WATERMARK_PUBLISH, FaultPoint.WATERMARK_FSYNC, FaultPoint.SST_CREATE,
            FaultPoint.SST_WRITE, FaultPoint.SST_FSYNC, FaultPoint.FILE_RENAME, FaultPoint.DIRECTORY_FSYNC,
            FaultPoint.MANIFEST_APPEND, FaultPoint.MANIFEST_FSYNC, FaultPoint.MANIFEST_POINTER_SWITCH, FaultPoint.MANIFEST_CREATE,
            FaultPoint.MANIFEST_DELETE, FaultPoint.OBSOLETE_DELETE);
    private static final int CASES = Integer.getInteger("floe.faults.cases", 1);
    private static final long WRITES = Long.getLong("floe.faults.writes", 800);
    private static final long REOPEN_EVERY = 300;

    @TempDir
    Path tmp;

    @Test
    void everyKillPointRecoversEveryAcknowledgedCommit() throws Exception {
        SplittableRandom r = Seeds.random("KillPointTest");
        Map<FaultPoint, Long> counts = dryRun();
        Map<FaultPoint, int[]> outcome = new EnumMap<>(FaultPoint.class);
        List<String> report = new ArrayList<>();
        int caseNo = 0;
        for (FaultPoint p : points()) {
            long n = counts.getOrDefault(p, 0L);
            assertTrue(n > 0, p + " was never reached by the workload");
            for (int c = 0; c < CASES; c++) {
                for (boolean power : new boolean[] {false, true}) {
                    long hit = c == 0 && !power ? 1 + r.nextLong(Math.min(n, 3)) : 1 + r.nextLong(n);
                    System.out.println("[kill] case " + caseNo + ": " + p + " hit " + hit + "/" + n + (power ? " power" : " process"));
                    String result = crashAndRecover(p, hit, power, tmp.resolve("case-" + caseNo++));
                    int[] o = outcome.computeIfAbsent(p, k -> new int[3]);
                    o[result.startsWith("killed") ? (power ? 1 : 0) : 2]++;
                    report.add(p + " hit " + hit + "/" + n + (power ? " power: " : " process: ") + result);
                }
            }
        }
        report.forEach(line -> System.out.println("[kill] " + line));
        StringBuilder summary = new StringBuilder();
        outcome.forEach((p, o) -> summary.append(p).append(" process=").append(o[0]).append(" power=").append(o[1])
                .append(o[2] > 0 ? " unreached=" + o[2] : "").append("; "));
        System.out.println("[kill] crashed and recovered: " + summary);
        for (FaultPoint p : points()) {
            int[] o = outcome.get(p);
            assertTrue(o[0] + o[1] > 0, p + " was never crashed");
        }
    }

    /** Returns the points to crash: {@link #POINTS}, or those named in {@code -Dfloe.faults.points=A,B}. */
    private static List<FaultPoint> points() {
        String only = System.getProperty("floe.faults.points", "");
        return only.isEmpty() ? POINTS : java.util.Arrays.stream(only.split(",")).map(FaultPoint::valueOf).toList();
    }

    /** Runs the workload unarmed; returns each point's hits. */
    private Map<FaultPoint, Long> dryRun() throws Exception {
        Path dir = tmp.resolve("dry");
        List<String> lines = runChild(dir, List.of());
        String hits = lines.stream().filter(l -> l.startsWith("HITS ")).findFirst()
                .orElseThrow(() -> new AssertionError("the unarmed child did not finish (" + lines.size() + " lines):\n" + String.join("\n", lines)));
        Map<FaultPoint, Long> counts = new EnumMap<>(FaultPoint.class);
        for (String kv : hits.substring(5).split(" ")) {
            String[] f = kv.split("=");
            counts.put(FaultPoint.valueOf(f[0]), Long.parseLong(f[1]));
        }
        System.out.println("[kill] dry run: " + hits.substring(5));
        return counts;
    }

    /** One case: crash at {@code hit} of {@code p}, lose unsynced writes iff {@code power}, recover and check. */
    private String crashAndRecover(FaultPoint p, long hit, boolean power, Path dir) throws Exception {
        Path plan = dir.resolveSibling(dir.getFileName() + ".plan");
        List<String> jvm = new ArrayList<>(List.of("-Dfloe.faults.kill=" + p + ":" + hit));
        if (power) {
            jvm.add("-Dfloe.faults.plan=" + plan);
        }
        List<String> lines = runChild(dir, jvm);
        long committed = ChildJvm.lastNumber(lines, "C ", -1);
        boolean killed = lines.stream().anyMatch(l -> l.startsWith("KILLED "));
        boolean done = lines.contains("DONE");
        assertTrue(killed || done, p + " hit " + hit + ": the child neither halted nor finished:\n" + String.join("\n", lines));
        String lost = "";
        if (killed && power) {
            assertTrue(Files.exists(plan), "no crash plan written");
            lost = "; lost " + DurabilityModel.applyPlan(plan);
        }
        String where = p + " hit " + hit + (power ? " (power)" : " (process)") + ", committed up to " + committed;
        long resumed;
        try (Floe floe = Floe.open(dir, FloeOptions.defaults())) {
            if (!floe.exists(FaultWorkload.TABLE)) {
                assertEquals(-1, committed, where + ": the table is gone");
                return (killed ? "killed" : "finished") + " before the table existed" + lost;
            }
            Table t = floe.table(FaultWorkload.TABLE, FaultWorkload.SCHEMA, FaultWorkload.options());
            assertNull(FaultWorkload.check(t, committed), where);
            long[] resume = FaultWorkload.resumePoints(t);
            resumed = FaultWorkload.resumeFrom(resume);
            long[] after = {-1};
            FaultWorkload.write(t, resume, Math.max(resume[0], resume[1]) + 2 * FaultWorkload.COMMIT_EVERY + 1, i -> after[0] = i);
            assertTrue(after[0] > committed, where + ": no commit after recovery");
            assertNull(FaultWorkload.check(t, after[0]), where + ", then written on to " + after[0]);
        }
        int ssts = FaultWorkload.checkFiles(dir);
        return (killed ? "killed" : "finished unarmed") + ", committed " + committed + ", resumed at " + resumed + ", " + ssts
                + " SSTs" + lost;
    }

    private List<String> runChild(Path dir, List<String> jvmOptions) throws Exception {
        List<String> options = new ArrayList<>(List.of("-Dfloe.faults=true", "-Xmx256m"));
        options.addAll(jvmOptions);
        try (ChildJvm child = ChildJvm.start(KillPointChild.class, options, dir.toString(), Long.toString(WRITES),
                Long.toString(REOPEN_EVERY))) {
            List<String> lines = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 120_000;
            for (String line = ""; !"<EOF>".equals(line); ) {
                line = child.nextLine(Math.max(1, deadline - System.currentTimeMillis()));
                if (line == null) {
                    throw new AssertionError("the child hung for 2 minutes:\n" + String.join("\n", lines));
                }
                lines.add(line);
            }
            return lines;
        }
    }
}
