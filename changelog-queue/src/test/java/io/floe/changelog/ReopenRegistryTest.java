package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that opens and closes changelogs many times leaves nothing growing in Chronicle Core's
 * static registry of thread-locals (see {@link ChronicleQueues}): before Floe switched Chronicle's
 * orphan tracking off, a JVM with {@code -ea} grew it by 14 entries per open, tail and close cycle,
 * and each open scanned all of it. Each case runs in a child JVM with {@code -ea}, so that Floe's
 * gate is the first to touch Chronicle, whatever ran before in this JVM; the count is read by
 * reflection (Chronicle has no public counter for it).
 */
class ReopenRegistryTest {
    private static final String PROPERTY = ChronicleQueues.ORPHAN_TRACKING_PROPERTY;

    @TempDir
    Path dir;

    @Test
    void aThousandReopeningsLeaveChronicleRegistryBounded() throws Exception {
        int[] sizes = run(1000, List.of());
        assertThat(sizes[2] - sizes[1]).as("registry growth from cycle 10 to cycle 1000").isLessThanOrEqualTo(5);
        assertThat(sizes[0]).as("property after the first open").isEqualTo(1);
    }

    /** The probe sees the growth when the tracking is on (a user's explicit setting is kept). */
    @Test
    void withTrackingExplicitlyOnTheRegistryGrowsPerReopening() throws Exception {
        int[] sizes = run(100, List.of("-D" + PROPERTY + "=false"));
        assertThat(sizes[2] - sizes[1]).as("registry growth from cycle 10 to cycle 100").isGreaterThanOrEqualTo(90);
        assertThat(sizes[0]).as("property after the first open").isEqualTo(0);
    }

    /** Returns {property is "true" ? 1 : 0, registry size after cycle 10, after the last cycle}. */
    private int[] run(int cycles, List<String> extraOptions) throws Exception {
        List<String> options = new ArrayList<>(ChildMain.JVM_OPTIONS);
        options.add("-ea");
        options.addAll(extraOptions);
        try (ChildJvm child = ChildJvm.start(ReopenChild.class, options, flag -> !flag.contains(PROPERTY),
                dir.resolve("c").toString(), Integer.toString(cycles))) {
            assertThat(child.await("ASSERTIONS", 60_000)).isEqualTo("ASSERTIONS true");
            String property = child.await("PROPERTY", 60_000);
            int at10 = registry(child.await("REGISTRY 10 ", 60_000));
            int atEnd = registry(child.await("REGISTRY " + cycles + " ", 120_000));
            assertThat(child.await("DONE", 60_000)).isEqualTo("DONE");
            return new int[] {property.equals("PROPERTY true") ? 1 : 0, at10, atEnd};
        }
    }

    private static int registry(String line) {
        return Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
    }
}
