package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.floe.common.testing.ChildJvm;

/** Chronicle's usage analytics are off before any Chronicle class is used. */
class AnalyticsDisabledTest {
    @TempDir
    Path dir;

    @Test
    void openingAChangelogSetsThePropertyInAJvmStartedWithoutIt() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildMain.class, ChildMain.JVM_OPTIONS, flag -> !flag.contains("chronicle.analytics"), "analytics", dir.resolve("c").toString())) {
            assertThat(child.await("BEFORE", 60_000)).isEqualTo("BEFORE null");
            assertThat(child.await("AFTER", 60_000)).isEqualTo("AFTER true");
        }
    }

    @Test
    void theGateSetsThePropertyInThisJvm() {
        ChronicleQueues.ensureLoaded();
        assertThat(System.getProperty(ChronicleQueues.ANALYTICS_PROPERTY)).isEqualTo("true");
    }
}
