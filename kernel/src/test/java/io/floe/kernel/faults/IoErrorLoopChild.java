package io.floe.kernel.faults;

import io.floe.common.error.DiskFullException;
import io.floe.common.error.FloeException;
import io.floe.common.io.FaultPoint;
import io.floe.common.testing.faults.FaultInjector;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import io.floe.kernel.options.FloeOptions;
import java.io.IOException;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The child JVM of {@link IoErrorLoopTest}: the SQLite-style I/O error loop. For i = 1, 2, ... it
 * runs {@link FaultWorkload} (create the store, write, commit, flush, compact, close) in a fresh
 * directory with the i-th I/O operation failing (once, or from then on), until three runs in a
 * row complete without reaching operation i (background flushes and compactions make the count
 * vary a little from run to run). After each run it checks: the failure surfaced as a typed
 * {@link FloeException} (a {@link DiskFullException} for "No space left on device"), within a
 * minute; closing gave back every file descriptor, mapping and off-heap byte; a fault-free reopen
 * finds every acknowledged commit and no damage ({@link FaultWorkload#check},
 * {@link FaultWorkload#checkFiles}). Prints "FAIL i ..." per violation, "SILENT i ..." per injected
 * failure that no call reported (other than the deletes Floe absorbs on purpose), and one
 * "SUMMARY ..." line.
 *
 * <p>Arguments: root directory, {@code once|persistent}, {@code EIO|ENOSPC}, writes per run.
 */
public final class IoErrorLoopChild {
    private static final long HANG_MILLIS = 60_000;
    /** Failures Floe absorbs on purpose, with a logged warning: the file stays as an orphan, removed at the next open or roll. */
    private static final java.util.Set<FaultPoint> ABSORBED_BY_DESIGN = java.util.EnumSet.of(FaultPoint.OBSOLETE_DELETE,
            FaultPoint.MANIFEST_DELETE);

    private IoErrorLoopChild() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        boolean persistent = args[1].equals("persistent");
        FaultInjector.Kind kind = FaultInjector.Kind.valueOf(args[2]);
        long writes = Long.parseLong(args[3]);
        FaultInjector injector = FaultInjector.counting();
        long tried = 0;
        long injected = 0;
        long typed = 0;
        long absorbed = 0;
        long failures = 0;
        int quiet = 0;
        long silent = 0;
        Map<String, Long> silentPoints = new java.util.TreeMap<>();
        Map<String, Long> errorTypes = new java.util.TreeMap<>();
        long only = Long.getLong("floe.faults.only", 0);
        long maxOps = Long.getLong("floe.faults.maxOps", 20_000);
        for (long i = Math.max(1, only); i <= maxOps; i++) {
            Path dir = root.resolve("i" + i);
            tried++;
            AtomicLong acked = new AtomicLong(-1);
            AtomicReference<Floe> store = new AtomicReference<>();
            injector.failFrom(i, persistent, kind);
            Throwable error = run(() -> workload(dir, writes, acked, store));
            long n = injector.injected();
            injector.disarm();
            injected += n;
            String where = "FAIL " + i + " (" + n + " injected): ";
            System.out.println("I " + i + " injected=" + n + " acked=" + acked.get() + " error=" + (error == null ? "none" : error.toString().replace('\n', ' '))
                    + (error == null || error.getSuppressed().length == 0 ? "" : " suppressed=" + java.util.Arrays.toString(error.getSuppressed())));
            if (only > 0 && error != null) {
                error.printStackTrace(System.out);
            }
            if (error instanceof TimeoutError) {
                System.out.println(where + "the workload hung for a minute: " + error.getMessage().replace("\n", " | "));
                failures++;
                break;
            }
            if (error != null) {
                if (!(error instanceof FloeException)) {
                    System.out.println(where + "an untyped error: " + stackOf(error));
                    failures++;
                } else {
                    typed++;
                    errorTypes.merge(error.getClass().getSimpleName() + rootTypeOf(error), 1L, Long::sum);
                    if (kind == FaultInjector.Kind.ENOSPC && !hasInChain(error, DiskFullException.class)) {
                        System.out.println(where + "no DiskFullException for a full device: " + stackOf(error));
                        failures++;
                    }
                }
            } else if (n > 0) {
                absorbed++;
                FaultPoint lost = injector.lastInjected();
                if (!ABSORBED_BY_DESIGN.contains(lost)) {
                    // A failure nobody was told about: the workload (and close) ended normally.
                    silent++;
                    silentPoints.merge(String.valueOf(lost), 1L, Long::sum);
                    System.out.println("SILENT " + i + " " + lost + ": the workload and its close completed normally");
                }
            }
            Floe faulted = store.get();
            if (faulted != null) {
                faulted.close(); // idempotent: only closes if the workload's close never ran
                if (faulted.offHeapBytes() != 0) {
                    System.out.println(where + faulted.offHeapBytes() + " off-heap bytes still held after close");
                    failures++;
                }
            }
            failures += checkNothingOpen(dir, where + "after the faulted run: ");
            String damage = recoverAndCheck(dir, acked.get());
            if (damage != null) {
                System.out.println(where + damage);
                failures++;
            }
            failures += checkNothingOpen(dir, where + "after the fault-free reopen: ");
            deleteTree(dir);
            quiet = error == null && n == 0 ? quiet + 1 : 0;
            if (quiet == 3 || only > 0) {
                break; // the workload ran to its end three times without reaching operation i
            }
            if (failures > 20) {
                System.out.println("FAIL " + i + ": more than 20 failures, the loop stops");
                break;
            }
        }
        System.out.println("SUMMARY " + (persistent ? "persistent" : "once") + " " + kind + " tried=" + tried + " injected=" + injected
                + " typed=" + typed + " absorbed=" + absorbed + " silent=" + silent + silentPoints + " failures=" + failures
                + " errors=" + errorTypes);
        System.out.flush();
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Creates the store and the table, writes, closes; every acknowledged commit goes into {@code acked}. */
    private static void workload(Path dir, long writes, AtomicLong acked, AtomicReference<Floe> store) {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults())) {
            store.set(floe);
            Table t = floe.table(FaultWorkload.TABLE, FaultWorkload.SCHEMA, FaultWorkload.options(4 << 10));
            FaultWorkload.write(t, new long[] {-1, -1}, writes, acked::set);
            t.close();
        }
    }

    /** Reopens without faults; returns what is wrong, or null. */
    private static String recoverAndCheck(Path dir, long acked) {
        try {
            try (Floe floe = Floe.open(dir, FloeOptions.defaults())) {
                if (!floe.exists(FaultWorkload.TABLE)) {
                    return acked < 0 ? null : "the table is gone, but write " + acked + " was committed";
                }
                Table t = floe.table(FaultWorkload.TABLE, FaultWorkload.SCHEMA, FaultWorkload.options(4 << 10));
                String wrong = FaultWorkload.check(t, acked);
                t.close();
                if (wrong != null) {
                    return "after a fault-free reopen: " + wrong;
                }
            }
            FaultWorkload.checkFiles(dir);
            return null;
        } catch (Throwable e) {
            return "the fault-free reopen failed: " + stackOf(e);
        }
    }

    private static long checkNothingOpen(Path dir, String where) throws IOException, InterruptedException {
        // Chronicle Queue releases closed files on a background thread: let it finish first.
        BackgroundResourceReleaser.releasePendingResources();
        List<String> open = OpenFiles.under(dir);
        int waited = 0;
        for (int wait = 0; !open.isEmpty() && wait < 250; wait++) {
            Thread.sleep(20);
            open = OpenFiles.under(dir);
            waited++;
        }
        if (waited > 0) {
            System.out.println("W waited " + waited * 20 + " ms for " + dir);
        }
        if (open.isEmpty()) {
            return 0;
        }
        System.out.println(where + "still open: " + open);
        return 1;
    }

    private static final class TimeoutError extends Error {
        private static final long serialVersionUID = 1L;

        TimeoutError(String message) {
            super(message);
        }
    }

    /** Runs {@code body} on a thread; returns what it threw (null if nothing), or a TimeoutError with its stack if it hangs. */
    private static Throwable run(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "io-error-loop-workload");
        t.setDaemon(true);
        t.start();
        t.join(HANG_MILLIS);
        if (t.isAlive()) {
            StringBuilder dump = new StringBuilder();
            Thread.getAllStackTraces().forEach((th, st) -> {
                dump.append(th.getName()).append('\n');
                for (StackTraceElement e : st) {
                    dump.append("    at ").append(e).append('\n');
                }
            });
            return new TimeoutError(dump.toString());
        }
        return thrown.get();
    }

    private static boolean hasInChain(Throwable e, Class<?> type) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            for (Throwable s : c.getSuppressed()) {
                if (hasInChain(s, type)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootTypeOf(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() instanceof FloeException) {
            c = c.getCause();
        }
        return c == e ? "" : "<-" + c.getClass().getSimpleName();
    }

    private static String stackOf(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        String s = w.toString().replace("\n", " | ").replace("\t", "");
        return s.length() > 4000 ? s.substring(0, 4000) + "..." : s;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
