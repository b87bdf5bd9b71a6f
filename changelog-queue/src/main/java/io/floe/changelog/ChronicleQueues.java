package io.floe.changelog;

import io.floe.common.io.DurableFiles;
import io.floe.common.error.FloeIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * The one door through which this module opens Chronicle Queue. Its static initializer forces
 * {@value #ANALYTICS_PROPERTY}{@code =true} before any Chronicle class is initialized by this
 * module, so that Chronicle never sends usage analytics: a storage kernel never phones home. Every
 * public entry point ({@link ChangelogWriter#open}, {@link ChangelogReader#open}) calls
 * {@link #ensureLoaded()} first.
 *
 * <p>Threads: all methods are safe from any thread.
 */
final class ChronicleQueues {
    static final String ANALYTICS_PROPERTY = "chronicle.analytics.disable";

    static {
        if (!"true".equals(System.getProperty(ANALYTICS_PROPERTY))) {
            System.setProperty(ANALYTICS_PROPERTY, "true");
        }
    }

    private ChronicleQueues() {
    }

    /** Runs the static initializer (and so disables Chronicle analytics) if it has not run yet. */
    static void ensureLoaded() {
        // The call itself triggers class initialization; nothing else to do.
    }

    /** Returns Chronicle's roll cycle for {@code period}. */
    static RollCycle rollCycle(RollPeriod period) {
        return switch (period) {
            case FIVE_MINUTELY -> RollCycles.FIVE_MINUTELY;
            case TEN_MINUTELY -> RollCycles.TEN_MINUTELY;
            case TWENTY_MINUTELY -> RollCycles.TWENTY_MINUTELY;
            case HALF_HOURLY -> RollCycles.HALF_HOURLY;
            case HOURLY -> RollCycles.FAST_HOURLY;
            case TWO_HOURLY -> RollCycles.TWO_HOURLY;
            case FOUR_HOURLY -> RollCycles.FOUR_HOURLY;
            case SIX_HOURLY -> RollCycles.SIX_HOURLY;
            case DAILY -> RollCycles.FAST_DAILY;
        };
    }

    /**
     * Returns the Chronicle queue in {@code options.dir()}, read-write or read-only, rolling files
     * by {@code clockMillis}.
     * Throws {@link FloeIOException} if the directory is missing, not a directory, or Chronicle
     * cannot open it.
     */
    static SingleChronicleQueue open(ChangelogOptions options, boolean readOnly, LongSupplier clockMillis) {
        Path dir = options.dir();
        requireDirectory(dir, readOnly ? "open changelog for reading" : "open changelog for writing");
        try {
            SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir)
                    .rollCycle(rollCycle(options.rollPeriod()))
                    .blockSize(options.blockSizeBytes())
                    .timeProvider(clockMillis::getAsLong)
                    .readOnly(readOnly);
            return builder.build();
        } catch (RuntimeException e) {
            throw new FloeIOException(readOnly ? "open changelog queue for reading" : "open changelog queue", dir,
                    e);
        }
    }

    /** Throws {@link FloeIOException} if {@code dir} does not exist or is not a directory. */
    static void requireDirectory(Path dir, String operation) {
        if (!Files.exists(dir)) {
            throw new FloeIOException(operation, dir, new NoSuchFileException(dir.toString()));
        }
        if (!Files.isDirectory(dir)) {
            throw new FloeIOException(operation, dir, new NotDirectoryException(dir.toString()));
        }
    }

    /** Creates {@code dir} and its parents if missing; throws {@link FloeIOException} if that fails or it is not writable. */
    static void createWritableDirectory(Path dir) {
        DurableFiles.createDirectories(dir);
        if (!Files.isWritable(dir)) {
            throw new FloeIOException("open changelog for writing", dir,
                    new java.nio.file.AccessDeniedException(dir.toString(), null, "directory is not writable"));
        }
    }
}
