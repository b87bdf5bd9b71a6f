package io.floe.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crashed child JVM fails the test that ran it; a crash log that appears during a sweep fails it too. */
class HsErrTest {
    @TempDir
    Path dir;

    @Test
    void aChildThatCrashesTheJvmIsAFailure() throws Exception {
        ChildJvm child = ChildJvm.start(dir, Crasher.class, List.of("-XX:-CreateCoredumpOnCrash"));
        child.await("CRASHING", 60_000);
        for (long deadline = System.currentTimeMillis() + 60_000; child.isAlive() && System.currentTimeMillis() < deadline; ) {
            Thread.sleep(20);
        }
        assertThatThrownBy(child::close).isInstanceOf(AssertionError.class).hasMessageContaining("crashed the JVM")
                .hasMessageContaining("hs_err_pid" + child.pid());
        assertThat(HsErr.all(dir)).containsExactly(HsErr.fileOf(dir, child.pid()));
    }

    @Test
    void awaitingALineFromACrashedChildNamesTheCrash() throws Exception {
        ChildJvm child = ChildJvm.start(dir, Crasher.class, List.of("-XX:-CreateCoredumpOnCrash"));
        assertThatThrownBy(() -> child.await("NEVER", 60_000)).isInstanceOf(AssertionError.class).hasMessageContaining("crashed the JVM");
        assertThatThrownBy(child::close).isInstanceOf(AssertionError.class).hasMessageContaining("crashed the JVM");
    }

    @Test
    void aKilledChildIsNoFailure() throws Exception {
        try (ChildJvm child = ChildJvm.start(dir, Sleeper.class, List.of())) {
            child.killAfter("SLEEPING", 10);
        }
        assertThat(HsErr.all(dir)).isEmpty();
    }

    @Test
    void onlyNewCrashLogsFailASweep() throws Exception {
        Files.writeString(dir.resolve("hs_err_pid1.log"), "old crash");
        Set<Path> before = Set.copyOf(HsErr.all(dir));
        HsErr.assertNoneNew(dir, before, "sweep");
        Files.writeString(dir.resolve("hs_err_pid2.log"), "# A fatal error has been detected");
        assertThatThrownBy(() -> HsErr.assertNoneNew(dir, before, "sweep")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("hs_err_pid2.log").hasMessageContaining("A fatal error").hasMessageNotContaining("old crash");
    }

    /** Reads address 0: SIGSEGV, the JVM writes its crash log and dies. */
    public static final class Crasher {
        public static void main(String[] args) throws Exception {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
            System.out.println("CRASHING");
            System.out.flush();
            System.out.println(unsafe.getLong(0L));
        }
    }

    /** Waits to be killed. */
    public static final class Sleeper {
        public static void main(String[] args) throws Exception {
            System.out.println("SLEEPING");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
