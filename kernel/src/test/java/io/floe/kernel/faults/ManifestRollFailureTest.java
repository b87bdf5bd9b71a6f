package io.floe.kernel.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.floe.common.testing.ChildJvm;
import io.floe.kernel.manifest.VersionSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A roll of the manifest log whose CURRENT rename succeeded but whose directory fsync failed, then
 * a crash during the next roll ({@link ManifestErrorLoopChild}, mode {@code roll-retry-crash}).
 * Before the fix of 2026-11-24 the retry reused the failed roll's log number: it deleted the log
 * CURRENT named and was killed before rewriting it, so the reopen failed ("CURRENT names
 * MANIFEST-000002 which does not exist"), or found a log of only a header and recovered an empty
 * version (every SST an orphan, deleted at the table's next open). The reopen must recover every
 * acknowledged edit.
 */
class ManifestRollFailureTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "killed at {0} #{1} after the failed roll")
    @CsvSource({"MANIFEST_CREATE, 1", "MANIFEST_APPEND, 1", "MANIFEST_APPEND, 2", "FILE_RENAME, 1"})
    void aFailedRollThenACrashLosesNoAcknowledgedEdit(String killPoint, int hit) throws Exception {
        Path dir = tmp.resolve("manifest");
        List<String> lines = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(ManifestErrorLoopChild.class, List.of("-Dfloe.faults=true", "-Xmx128m"), dir.toString(),
                "roll-retry-crash", killPoint, Integer.toString(hit))) {
            long deadline = System.currentTimeMillis() + 60_000;
            for (String line = ""; !"<EOF>".equals(line); ) {
                line = child.nextLine(Math.max(1, deadline - System.currentTimeMillis()));
                assertTrue(line != null, "the child hung:\n" + String.join("\n", lines));
                if (line.startsWith("FILES") || line.startsWith("TRY") || line.startsWith("KILLED") || line.startsWith("ROLL")
                        || line.startsWith("NOT")) {
                    lines.add(line);
                }
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ROLL FAILED")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("KILLED")), String.join("\n", lines));
        String acked = "[]";
        String tried = null;
        for (String l : lines) {
            if (l.startsWith("FILES ")) {
                acked = l.substring(6);
            } else if (l.startsWith("TRY ")) {
                tried = l.substring(4);
            }
        }
        String recovered;
        try (VersionSet set = VersionSet.open(dir, 1, 400, f -> { }); VersionSet.Pin pin = set.pin()) {
            TreeSet<Long> files = new TreeSet<>();
            pin.version().allFiles().forEach(f -> files.add(f.fileNumber()));
            recovered = files.toString();
        }
        assertTrue(recovered.equals(acked) || recovered.equals(tried), "recovered " + recovered + ", acknowledged " + acked
                + ", in flight " + tried + "\n" + String.join("\n", lines));
    }
}
