package io.floe.flink;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.table.functions.ScalarFunction;

/**
 * A SQL function for failover tests ({@code fail_once(id)}): returns its argument, but throws once,
 * when it meets the id {@link #arm armed}. The MiniCluster runs in the test's JVM, so the state is
 * static; one armed failure at a time.
 */
public final class FailOnce extends ScalarFunction {
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static volatile long failAt = -1;

    /** Arms one failure, at record {@code id}. */
    public static void arm(long id) {
        failAt = id;
        FAILED.set(false);
    }

    /** Returns the armed id. */
    public static long failAt() {
        return failAt;
    }

    /** Returns iff the armed failure happened. */
    public static boolean failed() {
        return FAILED.get();
    }

    public Long eval(Long id) {
        if (id != null && id == failAt && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure at record " + id);
        }
        return id;
    }
}
