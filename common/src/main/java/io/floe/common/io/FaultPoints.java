package io.floe.common.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Fault injection hooks for Floe's own file I/O. Production code calls them in one line at each
 * {@link FaultPoint} and wherever a file's data or name becomes durable; they do nothing unless the
 * JVM was started with {@code -Dfloe.faults=true} and a test installed a {@link Handler}.
 * {@link #ENABLED} is a {@code static final} read once at class initialization, so with faults off
 * the JIT folds every hook to nothing.
 *
 * <p>Three uses (the handlers are in common's test-jar, {@code io.floe.common.testing.faults}):
 * kill points (the handler halts the process at the n-th hit of a point), the I/O error loop (the
 * handler throws an {@link IOException} from the i-th I/O point, which the caller maps to a typed
 * Floe error as it maps a real one), and a model of lost unsynced writes (the durability hooks
 * tell the handler what a machine crash could not take away).
 *
 * <p>Threads: every hook is safe from any thread; {@link #install} happens before the workload.
 */
public final class FaultPoints {
    /** Iff true, hooks call the installed handler; from {@code -Dfloe.faults=true}. */
    public static final boolean ENABLED = Boolean.getBoolean("floe.faults");

    private static volatile Handler handler;

    private FaultPoints() {
    }

    /** What a test does at the hooks. Every method may block or halt; only {@link #io} may throw. */
    public interface Handler {
        /** A kill point (or an I/O point, then {@code path} is its file) is reached. */
        void reach(FaultPoint point, Path path);

        /** The I/O operation {@code point} on {@code path} is about to run; throws to fail it instead. */
        void io(FaultPoint point, Path path) throws IOException;

        /** {@code file} was created (its name is durable only after its directory is fsynced). */
        void created(Path file);

        /** {@code from} was renamed to {@code to} (durable only after the directory is fsynced). */
        void renamed(Path from, Path to);

        /** {@code file}'s data, as it is now, was forced to the device. */
        void synced(Path file);

        /** The directory {@code dir}'s entries, as they are now, were forced to the device. */
        void directorySynced(Path dir);

        /**
         * The memory-mapped append-only {@code file} was forced after its writer wrote bytes up to
         * {@code end} (and nothing beyond): a machine crash keeps {@code [0, end)}.
         */
        void syncedPrefix(Path file, long end);
    }

    /** Installs {@code h} (null removes it). Throws {@link IllegalStateException} if faults are not enabled. */
    public static void install(Handler h) {
        if (!ENABLED) {
            throw new IllegalStateException("fault injection needs -Dfloe.faults=true at JVM start");
        }
        handler = h;
    }

    /** Kill point {@code p}. */
    public static void point(FaultPoint p) {
        if (ENABLED) {
            Handler h = handler;
            if (h != null) {
                h.reach(p, null);
            }
        }
    }

    /** I/O point {@code p} on {@code path}. Throws {@link IOException} iff the handler injects a failure. */
    public static void io(FaultPoint p, Path path) throws IOException {
        if (ENABLED) {
            Handler h = handler;
            if (h != null) {
                h.io(p, path);
            }
        }
    }

    /** See {@link Handler#created}. */
    public static void created(Path file) {
        if (ENABLED) {
            Handler h = handler;
            if (h != null) {
                h.created(file);
            }
        }
    }

    /** See {@link Handler#renamed}. */
    public static void renamed(Path from, Path to) {
        if (ENABLED) {
            Handler h = handler;
            if (h != null) {
                h.renamed(from, to);
            }
        }
    }

    /** See {@link Handler#synced}. */
    public static void synced(Path file) {
        if (ENABLED) {
            Handler h = handler;
            if (h != null) {
                h.synced(file);
            }
        }
    }

    /** See {@link Handler#directorySynced}. */
    public static void directorySynced(Path dir) {
        if (ENABLED) {
            Handler h = handler;
            if (h != null) {
                h.directorySynced(dir);
            }
        }
    }

    /** See {@link Handler#syncedPrefix}. */
    public static void syncedPrefix(Path file, long end) {
        if (ENABLED) {
            Handler h = handler;
            if (h != null) {
                h.syncedPrefix(file, end);
            }
        }
    }
}
