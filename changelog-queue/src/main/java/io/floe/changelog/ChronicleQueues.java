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
 * The one door through which this module opens Chronicle Queue. Its static initializer sets two
 * Chronicle properties before any Chronicle class is initialized by this module; every public entry
 * point ({@link ChangelogWriter#open}, {@link ChangelogReader#open}) calls {@link #ensureLoaded()}
 * first.
 * <ul>
 *   <li>{@value #ANALYTICS_PROPERTY}{@code =true}, always, so that Chronicle never sends usage
 *       analytics: a storage kernel never phones home.
 *   <li>{@value #ORPHAN_TRACKING_PROPERTY}{@code =true}, unless the property is set already. In a
 *       JVM with assertions enabled ({@code -ea}: every test run, and any TaskManager started with
 *       it) Chronicle Core keeps each {@code CleaningThreadLocal} in a static set together with the
 *       values threads other than Chronicle's own stored in it, drops an entry only once every such
 *       thread has called {@code remove()} or died, and scans the whole set each time it creates
 *       one. Every queue store Chronicle opens (at each open, tailer and roll) creates two for its
 *       index arrays and never removes their values: closing the store or the queue does not, and
 *       no public API can. So a long-lived thread that opens changelogs grew the set by 14 entries
 *       per open-append-tail-close cycle of a writer and a reader, and each open got slower with it
 *       (a crash soak reopening its store 1,500 times). The property is Chronicle's switch for this
 *       tracking, a debugging aid that exists only under {@code -ea}: with it off an entry leaves
 *       the set at the next scan and the values go with their stores, as without {@code -ea}. It
 *       takes effect only if set before Chronicle Core's {@code CleaningThreadLocal} class is
 *       initialized: a process with {@code -ea} that uses Chronicle before it opens a changelog
 *       should pass {@code -D}{@value #ORPHAN_TRACKING_PROPERTY}{@code =true} itself.
 * </ul>
 *
 * <p>Threads: all methods are safe from any thread.
 */
final class ChronicleQueues {
    static final String ANALYTICS_PROPERTY = "chronicle.analytics.disable";
    /** Chronicle Core's switch for its tracking of thread-local values under {@code -ea}; see the class comment. */
    static final String ORPHAN_TRACKING_PROPERTY = "disable.ctl.orphan.tracking";

    static {
        if (!"true".equals(System.getProperty(ANALYTICS_PROPERTY))) {
            System.setProperty(ANALYTICS_PROPERTY, "true");
        }
        if (System.getProperty(ORPHAN_TRACKING_PROPERTY) == null) {
            System.setProperty(ORPHAN_TRACKING_PROPERTY, "true");
        }
    }

    private ChronicleQueues() {
    }

    /** Runs the static initializer (and so sets both properties) if it has not run yet. */
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
