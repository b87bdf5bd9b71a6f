package io.floe.kernel.faults;

import io.floe.common.testing.faults.FaultInjector;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import io.floe.kernel.options.FloeOptions;
import java.nio.file.Path;

/**
 * The child JVM of {@link KillPointTest}: runs {@link FaultWorkload} up to write {@code args[1]}
 * with commits fsynced ({@code FSYNC_ON_COMMIT}), closing and reopening the store every
 * {@code args[2]} writes (which rolls the manifest and switches CURRENT), and prints "C i" for
 * every acknowledged commit. Armed by {@code -Dfloe.faults.kill} (see
 * {@link FaultInjector#fromSystemProperties()}) it halts at that point; otherwise it prints
 * "HITS ..." (how often every point was reached) and "DONE".
 */
public final class KillPointChild {
    private KillPointChild() {
    }

    public static void main(String[] args) {
        FaultInjector injector = FaultInjector.fromSystemProperties();
        Path dir = Path.of(args[0]);
        long total = Long.parseLong(args[1]);
        long reopenEvery = Long.parseLong(args[2]);
        long next = 0;
        while (next < total) {
            try (Floe floe = Floe.open(dir, FloeOptions.defaults())) {
                Table t = floe.table(FaultWorkload.TABLE, FaultWorkload.SCHEMA, FaultWorkload.options());
                long[] resume = FaultWorkload.resumePoints(t);
                long end = Math.min(total, FaultWorkload.resumeFrom(resume) + reopenEvery);
                FaultWorkload.write(t, resume, end, i -> {
                    System.out.println("C " + i);
                    System.out.flush();
                });
                next = end;
            }
        }
        System.out.println("HITS " + injector.hitsLine());
        System.out.println("DONE");
        System.out.flush();
    }
}
