package io.floe.kernel.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.floe.common.testing.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The I/O error loop, in a child JVM with fault injection on: every I/O operation of the workload
 * fails in turn, once or from then on, as a device error (EIO) or a full device (ENOSPC); each must
 * surface as a typed error and leave nothing damaged, open or leaked ({@link IoErrorLoopChild}).
 * The same loop runs on the manifest alone with a log that rolls every few edits
 * ({@link ManifestErrorLoopChild}).
 *
 * <p>The default run covers "once, EIO" and "persistent, ENOSPC" on a short workload (about a
 * minute together). {@code -Dfloe.faults.soak=true} (the {@code faults-soak} profile) runs all four
 * combinations on a longer workload ({@code -Dfloe.faults.ioWrites}, default 600) and the manifest loops.
 */
class IoErrorLoopTest {
    private static final boolean SOAK = Boolean.getBoolean("floe.faults.soak");
    private static final long WRITES = Long.getLong("floe.faults.ioWrites", SOAK ? 600 : 160);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"once, EIO, false", "persistent, ENOSPC, false", "once, ENOSPC, true", "persistent, EIO, true"})
    void everyFailedOperationIsTypedAndHarmless(String mode, String kind, boolean soakOnly) throws Exception {
        Assumptions.assumeTrue(OpenFiles.supported(), "needs /proc/self/fd");
        Assumptions.assumeTrue(SOAK || !soakOnly, "soak only (-Dfloe.faults.soak=true)");
        runLoop(IoErrorLoopChild.class, mode, kind, WRITES);
    }

    @ParameterizedTest(name = "manifest {0} {1}")
    @CsvSource({"once, EIO", "persistent, ENOSPC"})
    void manifestEditsSurviveEveryFailedOperation(String mode, String kind) throws Exception {
        Assumptions.assumeTrue(SOAK, "soak only (-Dfloe.faults.soak=true)");
        runLoop(ManifestErrorLoopChild.class, mode, kind, 30);
    }

    private void runLoop(Class<?> main, String mode, String kind, long size) throws Exception {
        List<String> lines = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(main, List.of("-Dfloe.faults=true", "-Xmx256m"), tmp.toString(), mode, kind,
                Long.toString(size))) {
            long deadline = System.currentTimeMillis() + 60 * 60_000;
            for (String line = ""; !"<EOF>".equals(line); ) {
                line = child.nextLine(Math.max(1, deadline - System.currentTimeMillis()));
                assertTrue(line != null, "the I/O error loop ran for an hour:\n" + String.join("\n", lines));
                if (line.startsWith("FAIL") || line.startsWith("SUMMARY") || line.startsWith("SILENT")) {
                    lines.add(line);
                }
            }
        }
        String summary = lines.stream().filter(l -> l.startsWith("SUMMARY")).findFirst()
                .orElseThrow(() -> new AssertionError("the loop did not finish:\n" + String.join("\n", lines)));
        System.out.println("[io-errors] " + summary);
        lines.stream().filter(l -> l.startsWith("SILENT")).forEach(l -> System.out.println("[io-errors] " + l));
        List<String> failures = lines.stream().filter(l -> l.startsWith("FAIL")).toList();
        assertEquals(List.of(), failures, summary);
        assertTrue(summary.contains(" failures=0"), summary);
    }
}
