package io.floe.kernel.manifest;

import io.floe.common.error.ClosedException;
import io.floe.common.error.CorruptionException;
import io.floe.common.error.FloeIOException;
import io.floe.common.io.DurableFiles;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The manifest of one table: the current {@link Version}, the log that makes it durable, the pins
 * that keep old versions alive, and the deletion of files no version needs.
 *
 * <p>Open replays the log named by CURRENT (dropping a torn tail) and then rolls to a new log that
 * starts with a snapshot, so a log is never appended to after a crash. A log that grows past the
 * roll size is rolled the same way.
 *
 * <p>Threads: every method is safe from any thread. {@link #logAndApply} calls are serialized by
 * {@code logLock} (held across the fsync); the current version, the reference counts and the file
 * reference counts are guarded by this object's monitor, which is never held during I/O.
 */
public final class VersionSet implements AutoCloseable {
    /** The log size past which a log is rolled, unless the opener chooses another. */
    public static final long DEFAULT_ROLL_BYTES = 4L << 20;

    private static final System.Logger LOG = System.getLogger(VersionSet.class.getName());

    /** Deletes a table file that no version needs any more. Must not throw; a file it fails to delete is an orphan. */
    @FunctionalInterface
    public interface FileDeleter {
        void delete(FileMeta file);
    }

    private final Path dir;
    private final long rollBytes;
    private final FileDeleter deleter;
    private final Object logLock = new Object();
    private final AtomicLong nextFileNumber;

    /** Guarded by logLock. */
    private ManifestLogWriter log;
    /** Guarded by logLock: true after a failed append or roll, so the next edit starts a new log. */
    private boolean logBroken;
    /** Guarded by logLock. */
    private long logNumber;

    /** Guarded by this. */
    private Version current;
    /** Guarded by this: how many live versions name each file number. */
    private final Map<Long, Integer> fileRefs = new HashMap<>();
    /** Guarded by this. */
    private boolean closed;

    private VersionSet(Path dir, long rollBytes, FileDeleter deleter, Version recovered, long lastLogNumber) {
        this.dir = dir;
        this.rollBytes = rollBytes;
        this.deleter = deleter;
        this.nextFileNumber = new AtomicLong(recovered.nextFileNumber());
        this.logNumber = lastLogNumber;
        recovered.refs = 1;
        addFileRefs(recovered);
        this.current = recovered;
    }

    /**
     * Opens (or creates) the manifest in {@code dir} of a table of {@code buckets} buckets.
     *
     * <p>Requires: {@code buckets >= 1}, {@code rollBytes > 0}.
     * Throws {@link CorruptionException} naming the file and offset if the pointer or the log is
     * damaged (other than a torn tail), {@link FloeIOException} if the directory cannot be used.
     */
    public static VersionSet open(Path dir, int buckets, long rollBytes, FileDeleter deleter) {
        DurableFiles.createDirectories(dir);
        try {
            Files.deleteIfExists(dir.resolve(ManifestLayout.CURRENT_TEMP));
        } catch (IOException e) {
            throw FloeIOException.of("prepare manifest directory", dir, e);
        }
        long currentLog = CurrentFile.read(dir);
        Version recovered = VersionBuilder.empty(buckets);
        if (currentLog >= 0) {
            Path logPath = dir.resolve(ManifestLayout.logName(currentLog));
            if (!Files.exists(logPath)) {
                throw new CorruptionException(dir.resolve(ManifestLayout.CURRENT).toString(), 0, "names " + logPath.getFileName()
                        + " which does not exist");
            }
            VersionBuilder builder = new VersionBuilder(recovered);
            String file = logPath.toString();
            ManifestLogReader.replay(logPath, edit -> {
                String error = builder.apply(edit);
                if (error != null) {
                    throw new CorruptionException(file, -1, "manifest edit " + error);
                }
            });
            try {
                recovered = builder.build();
            } catch (IllegalStateException e) {
                throw new CorruptionException(file, -1, e.getMessage());
            }
        }
        VersionSet set = new VersionSet(dir, rollBytes, deleter, recovered, Math.max(currentLog, highestLogNumber(dir)));
        synchronized (set.logLock) {
            set.roll();
        }
        return set;
    }

    /** Returns a new table-wide unique file number. */
    public long newFileNumber() {
        return nextFileNumber.getAndIncrement();
    }

    /**
     * Pins the current version: its files are not deleted until the pin is closed.
     * Throws {@link ClosedException} if this set is closed.
     */
    public Pin pin() {
        return new Pin(retain());
    }

    /**
     * Pins the current version without a {@link Pin} object, for a single-owner hot path (a point
     * lookup) that must not allocate: its files are not deleted until {@link #release(Version)}.
     * Requires: the caller releases the returned version exactly once, in a {@code finally}; prefer
     * {@link #pin()} elsewhere. Throws {@link ClosedException} if this set is closed.
     */
    public synchronized Version retain() {
        if (closed) {
            throw new ClosedException("the manifest of " + dir + " is closed");
        }
        current.refs++;
        return current;
    }

    /**
     * Appends {@code edit} to the log (durably) and makes the version it produces current.
     *
     * <p>Throws {@link IllegalArgumentException} if the edit does not apply to the current version
     * (nothing is written then), {@link FloeIOException} if the log cannot be written (the current
     * version is unchanged; the next edit starts a new log), {@link ClosedException} if closed.
     */
    public void logAndApply(VersionEdit edit) {
        synchronized (logLock) {
            Version base;
            synchronized (this) {
                if (closed) {
                    throw new ClosedException("the manifest of " + dir + " is closed");
                }
                base = current;
            }
            VersionEdit.Builder full = VersionEdit.builder().nextFileNumber(Math.max(edit.nextFileNumber(), nextFileNumber.get()));
            edit.flushedSeq().forEach(full::flushedSeq);
            edit.committedCheckpoint().forEach(full::committedCheckpoint);
            edit.removed().forEach(r -> full.remove(r.bucket(), r.fileNumber()));
            edit.added().forEach(full::add);
            VersionEdit toLog = full.build();
            VersionBuilder builder = new VersionBuilder(base);
            String error = builder.apply(toLog);
            Version next;
            try {
                next = error == null ? builder.build() : null;
            } catch (IllegalStateException e) {
                error = e.getMessage();
                next = null;
            }
            if (error != null) {
                throw new IllegalArgumentException("version edit " + error);
            }
            if (logBroken) {
                roll();
            }
            try {
                log.append(toLog);
            } catch (RuntimeException e) {
                logBroken = true;
                throw e;
            }
            install(next);
            if (log.size() > rollBytes) {
                try {
                    roll();
                } catch (RuntimeException e) {
                    // The edit is durable: in the old log if CURRENT still names it, else in the new log's
                    // snapshot (taken after install). The next edit rolls first (logBroken).
                    LOG.log(System.Logger.Level.WARNING, "rolling the manifest log of " + dir + " failed", e);
                }
            }
        }
    }

    /**
     * Requires: logLock held. Starts a new log with a snapshot of the current version and points
     * CURRENT at it. Throws {@link FloeIOException} if that fails; then no edit is appended before a
     * later roll succeeds, and that roll uses a new log number.
     */
    private void roll() {
        Version snapshot;
        synchronized (this) {
            snapshot = current;
        }
        long number = logNumber + 1;
        // The number is used up even if this roll fails: once CurrentFile.write has renamed, CURRENT
        // may name the new log although the call threw (its directory fsync failed), so a later roll
        // must never delete or rewrite that log. And until this roll completes, CURRENT may name either
        // log: the next edit must roll first rather than append to the old one.
        logNumber = number;
        logBroken = true;
        Path path = dir.resolve(ManifestLayout.logName(number));
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw FloeIOException.of("delete stale manifest log", path, e);
        }
        ManifestLogWriter next = ManifestLogWriter.create(path);
        try {
            next.append(snapshot.snapshot());
            CurrentFile.write(dir, number);
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        ManifestLogWriter old = log;
        log = next;
        logBroken = false;
        if (old != null) {
            try {
                old.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the old manifest log failed", e);
            }
        }
        deleteOldLogs(number);
    }

    private void deleteOldLogs(long keep) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ManifestLayout.LOG_PREFIX + "*")) {
            for (Path p : s) {
                long n = ManifestLayout.logNumber(p.getFileName().toString());
                if (n >= 0 && n != keep) {
                    FaultPoints.io(FaultPoint.MANIFEST_DELETE, p);
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "deleting old manifest logs in " + dir + " failed; they are retried at the next roll", e);
        }
    }

    private static long highestLogNumber(Path dir) {
        long max = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ManifestLayout.LOG_PREFIX + "*")) {
            for (Path p : s) {
                max = Math.max(max, ManifestLayout.logNumber(p.getFileName().toString()));
            }
        } catch (IOException e) {
            throw FloeIOException.of("list manifest directory", dir, e);
        }
        return max;
    }

    private void install(Version next) {
        List<FileMeta> obsolete;
        synchronized (this) {
            next.refs = 1;
            addFileRefs(next);
            Version old = current;
            current = next;
            obsolete = unref(old);
        }
        deleteAll(obsolete);
    }

    /** Requires: holding this. */
    private void addFileRefs(Version v) {
        for (FileMeta f : v.allFiles()) {
            fileRefs.merge(f.fileNumber(), 1, Integer::sum);
        }
    }

    /** Requires: holding this. Drops one reference of {@code v}; returns the files that became obsolete. */
    private List<FileMeta> unref(Version v) {
        if (--v.refs > 0) {
            return List.of();
        }
        List<FileMeta> obsolete = new ArrayList<>();
        for (FileMeta f : v.allFiles()) {
            if (fileRefs.merge(f.fileNumber(), -1, Integer::sum) == 0) {
                fileRefs.remove(f.fileNumber());
                obsolete.add(f);
            }
        }
        return obsolete;
    }

    /**
     * Releases a version taken by {@link #retain()}; deletes the files only it needed. Requires: once
     * per {@link #retain()}.
     */
    public void release(Version v) {
        List<FileMeta> obsolete;
        synchronized (this) {
            obsolete = unref(v);
        }
        deleteAll(obsolete);
    }

    private void deleteAll(List<FileMeta> files) {
        if (files.isEmpty()) {
            return; // the common case: no iterator (a release is on the point-lookup path)
        }
        for (FileMeta f : files) {
            try {
                deleter.delete(f);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "deleting obsolete " + f + " failed; it stays as an orphan", e);
            }
        }
    }

    /** Closes the log. Pins taken before stay valid; no file is deleted by closing. */
    @Override
    public void close() {
        synchronized (logLock) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            if (log != null) {
                log.close();
            }
        }
    }

    /**
     * A pinned version. Closing it (once; later closes do nothing) may delete files only it needed.
     *
     * <p>Threads: close from any thread, once.
     */
    public final class Pin implements AutoCloseable {
        private final Version version;
        private boolean released;

        private Pin(Version version) {
            this.version = version;
        }

        public Version version() {
            return version;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            release(version);
        }
    }
}
