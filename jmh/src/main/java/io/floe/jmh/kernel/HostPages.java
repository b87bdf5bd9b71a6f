package io.floe.jmh.kernel;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.agrona.BufferUtil;

/**
 * The state of the free memory that a measured call's new page-cache pages come from, made the same
 * for every peer.
 *
 * <p>Why: on a virtual machine whose balloon device reports free pages to the host (virtio-balloon
 * free page reporting; on the benchmark machine {@code page_reporting_order} 9), memory the guest
 * frees is handed back to the host about two seconds later, and the first write to such a page
 * after that faults in the host, invisibly to the guest: it shows as a slower {@code write()}. A
 * compaction writes tens of MB into new page-cache pages, so its time depends on whether those
 * pages were freed a moment ago (still backed) or long ago (reported). The engines' own setup
 * decides that unevenly: RocksDB deletes its write-ahead log when the last run is flushed, just
 * before the measured compaction, and its output reuses those pages; Floe keeps its changelog (it
 * is also the stream readers tail), so its output takes whatever free pages come next. Measured on
 * that machine with a scratch harness timing each compaction (Floe at d78d198): RocksDB's took about
 * 205 ms as the benchmark ran, 300 ms after a 3 s pause before the call, and 202 ms after the pause
 * when 256 MiB were touched just before it. Floe's thread CPU stayed in two groups, about 92 ms and
 * 115-140 ms (the second with 40-50 ms more system time), as it ran and with 256 MiB touched; with
 * 1 GiB touched every compaction took 90-98 ms of CPU. So {@link #WARM} touches 1 GiB: a smaller
 * warm-up did not cover every page Floe's output took (the kernel's allocator does not simply hand
 * back the most recently freed pages first).
 *
 * <p>On a machine without page reporting, or one whose memory is in steady use, this makes no
 * difference.
 */
enum HostPages {
    /**
     * Just before the call, touch and free {@value #WARM_MIB} MiB of memory, so the call's new
     * pages are backed by the host, as on a machine in steady use.
     */
    WARM,
    /** Just before the call, wait {@value #COLD_PAUSE_MS} ms, so every page freed earlier has been handed back. */
    COLD,
    /** Nothing: whatever the engine's own setup left. */
    ASIS;

    static final int WARM_MIB = 1024;
    static final long COLD_PAUSE_MS = 3_000;

    /** Returns the state named {@code name} (warm, cold or asis, any case). */
    static HostPages of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Brings the free memory to this state; {@code smokeRun} shrinks the work to nothing. */
    void prepare(boolean smokeRun) {
        switch (this) {
            case WARM -> {
                // allocateDirect zeroes, so writes, every page; freeing a block this large unmaps it at once.
                ByteBuffer touched = ByteBuffer.allocateDirect((smokeRun ? 1 : WARM_MIB) << 20);
                BufferUtil.free(touched);
            }
            case COLD -> {
                try {
                    Thread.sleep(smokeRun ? 1 : COLD_PAUSE_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while letting freed memory be reported", e);
                }
            }
            case ASIS -> {
            }
        }
    }
}
