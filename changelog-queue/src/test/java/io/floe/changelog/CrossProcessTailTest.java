package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.Seeds;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.floe.common.testing.ChildJvm;

/** A child JVM tails (read-uncommitted and read-committed) while this JVM appends and commits. */
class CrossProcessTailTest {
    @TempDir
    Path dir;

    @Test
    void childTailsBothIsolationLevelsWhileThisJvmAppends() throws Exception {
        SplittableRandom random = Seeds.random("CrossProcessTailTest");
        Path changelog = dir.resolve("changelog");
        int count = 50_000;
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        UnsafeBuffer row = new UnsafeBuffer(new byte[ChildMain.ROW]);
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(changelog))) {
            try (ChildJvm child = ChildJvm.start(ChildMain.class, ChildMain.JVM_OPTIONS, "tail", changelog.toString(), Integer.toString(count))) {
                child.await("READY", 60_000);
                long checkpoint = 0;
                for (long seq = 1; seq <= count; seq++) {
                    ChildMain.fill(seq, key, row);
                    writer.append(seq, ChildMain.kindOf(seq), key, 0, 8, row, 0, ChildMain.ROW);
                    if (random.nextInt(500) == 0) {
                        writer.commit(++checkpoint);
                    }
                    if (seq % 1000 == 0) {
                        Thread.sleep(1);
                    }
                }
                writer.commit(++checkpoint);
                assertThat(child.await("OK", 60_000)).isEqualTo("OK " + count);
            }
        }
    }
}
