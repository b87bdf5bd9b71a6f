package io.floe.changelog;

import io.floe.common.RowKind;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The child JVM of {@link ReopenRegistryTest}: {@code DIR CYCLES} opens, appends to, commits, tails
 * and closes the changelog in DIR CYCLES times on its main thread, as a process that reopens its
 * tables does, and prints {@code ASSERTIONS true|false}, {@code PROPERTY <value>} (Chronicle's
 * orphan-tracking switch after the first open), {@code REGISTRY <cycle> <size>} after cycle 10 and
 * after the last, then {@code DONE}.
 */
public final class ReopenChild {
    private ReopenChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int cycles = Integer.parseInt(args[1]);
        boolean assertions = false;
        assert assertions = true;
        System.out.println("ASSERTIONS " + assertions);
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        UnsafeBuffer row = new UnsafeBuffer(new byte[16]);
        long seq = 0;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            ChangelogOptions options = TestRecords.smallOptions(dir);
            try (ChangelogWriter writer = ChangelogWriter.open(options)) {
                for (int i = 0; i < 10; i++) {
                    key.putLong(0, ++seq);
                    writer.append(seq, RowKind.INSERT, key, 0, 8, row, 0, 16);
                }
                writer.commit(cycle);
                drain(writer.newTailer(TailerOptions.fromSeq(seq - 4)), seq);
            }
            try (ChangelogReader reader = ChangelogReader.open(options)) {
                drain(reader.newTailer(TailerOptions.fromSeq(seq - 4)), seq);
            }
            if (cycle == 1) {
                System.out.println("PROPERTY " + System.getProperty(ChronicleQueues.ORPHAN_TRACKING_PROPERTY));
            }
            if (cycle == 10 || cycle == cycles) {
                System.out.println("REGISTRY " + cycle + " " + registrySize());
            }
        }
        System.out.println("DONE");
    }

    /** Reads {@code tailer} to its end, which must be {@code lastSeq}, and closes it. */
    private static void drain(ChangelogTailer tailer, long lastSeq) {
        try (tailer) {
            long last = -1;
            for (ChangelogRecord record = tailer.poll(); record != null; record = tailer.poll()) {
                last = record.seq();
            }
            if (last != lastSeq) {
                throw new IllegalStateException("tailer ended at seq " + last + ", expected " + lastSeq);
            }
        }
    }

    /**
     * Returns the size of Chronicle Core's static registry of {@code CleaningThreadLocal}s, read by
     * reflection (a private field: Chronicle has no public counter for it). Chronicle is on the
     * class path, in the unnamed module, so no {@code --add-opens} is needed.
     */
    private static int registrySize() throws ReflectiveOperationException {
        Class<?> type = Class.forName("net.openhft.chronicle.core.threads.CleaningThreadLocal");
        Field field = type.getDeclaredField("cleaningThreadLocals");
        field.setAccessible(true);
        Set<?> registry = (Set<?>) field.get(null);
        return registry.size();
    }
}
