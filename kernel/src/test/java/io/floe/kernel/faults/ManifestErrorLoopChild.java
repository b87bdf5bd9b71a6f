package io.floe.kernel.faults;

import io.floe.common.error.FloeException;
import io.floe.common.testing.faults.FaultInjector;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.VersionEdit;
import io.floe.kernel.manifest.VersionSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The child JVM of {@link IoErrorLoopTest#manifestEditsSurviveEveryFailedOperation}: the I/O
 * error loop on the manifest alone, with a log so small that it rolls (a new log, CURRENT switched)
 * every few edits. For each i the i-th I/O operation fails (once, or from then on); the workload
 * keeps applying edits after a failure, as a table does (another bucket's flush goes on when one
 * fails). Then the manifest is closed and reopened without faults, and the version it recovers must
 * be the one the process last had in memory, or that plus one edit that failed after the last one
 * that went through (its record may have reached the log even though the append threw). Any other difference is an edit
 * acknowledged and then lost, or one that failed and then came back. Prints "FAIL i ..." per
 * violation and "SUMMARY ...". Arguments: root directory, {@code once|persistent}, {@code EIO|ENOSPC}, edits per run.
 */
public final class ManifestErrorLoopChild {
    private static final long ROLL_BYTES = 400;

    private ManifestErrorLoopChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args[1].equals("roll-retry-crash")) {
            rollRetryCrash(Path.of(args[0]), io.floe.common.io.FaultPoint.valueOf(args[2]), Integer.parseInt(args[3]));
            return;
        }
        if (args[1].equals("failing-directory-fsync")) {
            failingDirectoryFsync(Path.of(args[0]), Integer.parseInt(args[3]));
            return;
        }
        Path root = Path.of(args[0]);
        boolean persistent = args[1].equals("persistent");
        FaultInjector.Kind kind = FaultInjector.Kind.valueOf(args[2]);
        int edits = Integer.parseInt(args[3]);
        FaultInjector injector = FaultInjector.counting();
        long tried = 0;
        long injected = 0;
        long failedEdits = 0;
        long failures = 0;
        for (long i = 1; i <= 100_000; i++) {
            Path dir = root.resolve("m" + i);
            tried++;
            injector.failFrom(i, persistent, kind);
            TreeSet<Long> inMemory = null;
            List<VersionEdit> failedList = new ArrayList<>();
            String untyped = null;
            try (VersionSet set = VersionSet.open(dir, 1, ROLL_BYTES, f -> { })) {
                for (int e = 0; e < edits; e++) {
                    TreeSet<Long> live = files(set);
                    VersionEdit edit = edit(set, e, live);
                    try {
                        set.logAndApply(edit);
                        failedList.clear(); // a later edit went through: a new log or the same one, after the failed ones
                    } catch (FloeException ex) {
                        failedEdits++;
                        failedList.add(edit);
                    }
                }
                inMemory = files(set);
            } catch (FloeException ex) {
                // open or close failed: nothing to compare in memory
            } catch (RuntimeException | Error ex) {
                untyped = ex.toString();
            }
            long n = injector.injected();
            injector.disarm();
            injected += n;
            String where = "FAIL " + i + " (" + n + " injected): ";
            if (untyped != null) {
                System.out.println(where + "an untyped error: " + untyped);
                failures++;
            }
            if (inMemory != null) {
                TreeSet<Long> recovered;
                try (VersionSet set = VersionSet.open(dir, 1, ROLL_BYTES, f -> { })) {
                    recovered = files(set);
                } catch (RuntimeException ex) {
                    System.out.println(where + "the fault-free reopen failed: " + ex);
                    failures++;
                    recovered = null;
                }
                if (recovered != null && !recovered.equals(inMemory) && !appliedOneOf(inMemory, failedList, recovered)) {
                    System.out.println(where + "the manifest recovers files " + recovered + " but the process last had " + inMemory
                            + " (failed edits since the last one that went through: " + failedList.size() + ")");
                    failures++;
                }
            }
            deleteTree(dir);
            if (n == 0 || failures > 20) {
                break;
            }
        }
        System.out.println("SUMMARY manifest " + (persistent ? "persistent" : "once") + " " + kind + " tried=" + tried + " injected=" + injected
                + " failedEdits=" + failedEdits + " failures=" + failures);
        System.out.flush();
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * The manifest directory's fsync fails every time (the renames succeed): each roll of the log
     * switches CURRENT and then fails. Edits that returned normally must all be recovered.
     */
    private static void failingDirectoryFsync(Path dir, int edits) {
        FaultInjector injector = FaultInjector.counting();
        TreeSet<Long> inMemory;
        int failed = 0;
        try (VersionSet set = VersionSet.open(dir, 1, ROLL_BYTES, f -> { })) {
            injector.failEvery(io.floe.common.io.FaultPoint.DIRECTORY_FSYNC, dir.getFileName().toString(), FaultInjector.Kind.EIO);
            for (int e = 0; e < edits; e++) {
                try {
                    set.logAndApply(edit(set, e, files(set)));
                } catch (FloeException ex) {
                    failed++;
                }
            }
            inMemory = files(set);
        }
        long n = injector.injected();
        injector.disarm();
        TreeSet<Long> recovered;
        try (VersionSet set = VersionSet.open(dir, 1, ROLL_BYTES, f -> { })) {
            recovered = files(set);
        }
        String result = "injected=" + n + " failedEdits=" + failed + " inMemory=" + inMemory + " recovered=" + recovered;
        System.out.println((recovered.equals(inMemory) ? "SUMMARY manifest failing-directory-fsync " : "FAIL acknowledged edits lost: ") + result);
        System.out.flush();
        System.exit(recovered.equals(inMemory) ? 0 : 1);
    }

    /**
     * One roll of the log fails after CURRENT was renamed (its directory fsync fails once); then the
     * process is killed at the {@code hit}-th {@code killPoint} after that (while the next roll
     * writes its new log). Prints "TRY [...]" (the files if the edit applies) before and "FILES [...]"
     * after every acknowledged edit; the parent reopens and compares.
     */
    private static void rollRetryCrash(Path dir, io.floe.common.io.FaultPoint killPoint, int hit) {
        FaultInjector injector = FaultInjector.counting();
        VersionSet set = VersionSet.open(dir, 1, ROLL_BYTES, f -> { });
        int e = 0;
        for (; e < 3; e++) {
            set.logAndApply(edit(set, e, files(set)));
            System.out.println("FILES " + files(set));
        }
        long switches = injector.hits(io.floe.common.io.FaultPoint.MANIFEST_POINTER_SWITCH);
        injector.failEvery(io.floe.common.io.FaultPoint.DIRECTORY_FSYNC, dir.getFileName().toString(), FaultInjector.Kind.EIO);
        while (injector.hits(io.floe.common.io.FaultPoint.MANIFEST_POINTER_SWITCH) == switches) {
            set.logAndApply(edit(set, e++, files(set))); // the roll's failure is logged, not thrown
            System.out.println("FILES " + files(set));
        }
        injector.disarm();
        System.out.println("ROLL FAILED after edit " + (e - 1) + ", injected " + injector.injected());
        System.out.flush();
        injector.killAtNext(killPoint, hit);
        for (; e < 100; e++) {
            TreeSet<Long> before = files(set);
            VersionEdit edit = edit(set, e, before);
            edit.removed().forEach(r -> before.remove(r.fileNumber()));
            edit.added().forEach(f -> before.add(f.fileNumber()));
            System.out.println("TRY " + before);
            System.out.flush();
            set.logAndApply(edit);
            System.out.println("FILES " + files(set));
            System.out.flush();
        }
        System.out.println("NOT KILLED");
    }

    /**
     * Returns iff {@code recovered} is {@code inMemory} with one of {@code failed} applied: an
     * append that threw may still have reached the log (written, then the fsync failed), and while
     * every later roll fails the log still ends with it. Its caller was told it failed, so it must
     * not delete the files the edit adds.
     */
    private static boolean appliedOneOf(TreeSet<Long> inMemory, List<VersionEdit> failed, TreeSet<Long> recovered) {
        for (VersionEdit edit : failed) {
            TreeSet<Long> with = new TreeSet<>(inMemory);
            edit.removed().forEach(r -> with.remove(r.fileNumber()));
            edit.added().forEach(f -> with.add(f.fileNumber()));
            if (with.equals(recovered)) {
                return true;
            }
        }
        return false;
    }

    /** Edit e: a flush adds one file; every third edit is a compaction that replaces the two oldest files by one. */
    private static VersionEdit edit(VersionSet set, int e, TreeSet<Long> live) {
        VersionEdit.Builder b = VersionEdit.builder();
        long number = set.newFileNumber();
        byte[] key = {(byte) (e >> 8), (byte) e};
        b.add(new FileMeta(0, number, number, 100, key, key, e * 10L + 1, e * 10L + 10, 10));
        if (e % 3 == 2 && live.size() >= 2) {
            List<Long> oldest = new ArrayList<>(live).subList(0, 2);
            oldest.forEach(f -> b.remove(0, f));
        } else {
            b.flushedSeq(0, e * 10L + 10);
        }
        return b.build();
    }

    private static TreeSet<Long> files(VersionSet set) {
        TreeSet<Long> out = new TreeSet<>();
        try (VersionSet.Pin pin = set.pin()) {
            pin.version().allFiles().forEach(f -> out.add(f.fileNumber()));
        }
        return out;
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
