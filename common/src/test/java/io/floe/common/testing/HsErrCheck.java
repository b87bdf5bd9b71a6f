package io.floe.common.testing;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension for corruption sweeps and crash tests: fails the test class if a JVM crash log
 * ({@link HsErr}) appeared in the working directory while it ran. Register it with
 * {@code @RegisterExtension static final HsErrCheck HS_ERR = new HsErrCheck();}.
 *
 * <p>What it catches: a crash of any JVM the class starts in that directory (its children), and a
 * crash log left by anything else that ran meanwhile. A crash of the test JVM itself cannot be
 * reported by that JVM: it ends the surefire fork, which fails the build ("The forked VM terminated
 * without properly saying goodbye"), and the log it leaves in the module directory is named there.
 * Logs that were present before the class started are ignored (they are reported by the run that
 * produced them).
 */
public final class HsErrCheck implements BeforeAllCallback, AfterAllCallback {
    private final Path dir;
    private Set<Path> before = Set.of();

    /** Watches the working directory of this JVM ({@code user.dir}, the module directory under surefire). */
    public HsErrCheck() {
        this(Path.of(System.getProperty("user.dir")));
    }

    /** Watches {@code dir}. */
    public HsErrCheck(Path dir) {
        this.dir = dir;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        before = new HashSet<>(HsErr.all(dir));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        HsErr.assertNoneNew(dir, before, context.getDisplayName());
    }
}
