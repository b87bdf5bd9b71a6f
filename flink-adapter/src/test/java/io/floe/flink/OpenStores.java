package io.floe.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

/** Test helper: the check, after a test's Flink jobs ended, that they closed every store they opened. */
public final class OpenStores {
    private OpenStores() {
    }

    /**
     * Waits up to 30 s for every store the connector opened to be closed (a job's tasks close theirs
     * after the job is reported done), then fails if one is still open.
     */
    public static void awaitAllClosed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (FloeStores.openStores() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(FloeStores.openStores()).as("stores still open after the jobs ended").isZero();
    }
}
