package io.floe.common.io;

import io.floe.common.error.FloeIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way Floe makes files and names durable, so that every module keeps the same promise:
 * after a method here returns, the data (and the name it was published under) survive a machine
 * crash; if it throws, nothing half-written is visible under the final name.
 *
 * <ul>
 *   <li>{@link #fsync} forces a file's data; {@link #fsyncDirectory} forces a directory's entries,
 *       which makes creations, renames and deletions in it durable (POSIX requires it separately).</li>
 *   <li>{@link #publish} renames a finished, fsynced temporary file to its final name atomically and
 *       fsyncs the directory.</li>
 *   <li>{@link #writeAtomically} writes small files (pointers, watermarks, options) whole: a reader
 *       sees the old contents or the new, never a mix.</li>
 *   <li>{@link #createDirectories} creates directories and fsyncs the parent of each.</li>
 * </ul>
 * Failures raise {@link FloeIOException} ({@code DiskFullException} when the device is full) naming
 * the operation and the path. A directory that cannot be fsynced is a failure too: silently skipping
 * it would turn a crash into a lost file.
 *
 * <p>Every operation passes a {@link FaultPoints} hook (nothing unless fault injection is enabled).
 *
 * <p>Threads: stateless; concurrent calls on different paths are safe.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Forces {@code file}'s data to the device. */
    public static void fsync(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FaultPoints.io(FaultPoint.FILE_FSYNC, file);
            channel.force(true);
        } catch (IOException e) {
            throw FloeIOException.of("fsync", file, e);
        }
        FaultPoints.synced(file);
    }

    /** Forces {@code dir}'s entries (names created, renamed or removed in it) to the device. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            FaultPoints.io(FaultPoint.DIRECTORY_FSYNC, dir);
            channel.force(true);
        } catch (IOException e) {
            throw FloeIOException.of("fsync directory", dir, e);
        }
        FaultPoints.directorySynced(dir);
    }

    /**
     * Renames the finished temporary file {@code temp} to {@code target} atomically, replacing any
     * file there, and fsyncs {@code target}'s directory. Requires: {@code temp} is fsynced and in the
     * same directory as {@code target}.
     */
    public static void publish(Path temp, Path target) {
        try {
            FaultPoints.io(FaultPoint.FILE_RENAME, target);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FaultPoints.renamed(temp, target);
        } catch (IOException e) {
            throw FloeIOException.of("rename " + temp.getFileName() + " to", target, e);
        }
        fsyncDirectory(directoryOf(target));
    }

    /**
     * Replaces {@code target}'s contents with {@code contents} atomically and durably: writes
     * {@code target}'s name plus {@code .tmp}, fsyncs it, then {@link #publish}es it. On failure the
     * temporary file is removed and {@code target} is unchanged.
     */
    public static void writeAtomically(Path target, byte[] contents) {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            FaultPoints.created(temp);
            FaultPoints.io(FaultPoint.FILE_WRITE, temp);
            ByteBuffer b = ByteBuffer.wrap(contents);
            while (b.hasRemaining()) {
                c.write(b);
            }
            FaultPoints.io(FaultPoint.FILE_FSYNC, temp);
            c.force(true);
            FaultPoints.synced(temp);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw FloeIOException.of("write", temp, e);
        }
        try {
            publish(temp, target);
        } catch (FloeIOException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Creates the directory {@code dir} and its missing parents, each durably: the parent of every
     * directory created is fsynced (a new directory's name, like a file's, survives a machine crash
     * only then). Does nothing for directories that exist. Throws {@link FloeIOException} if a
     * creation or an fsync fails, or {@code dir} exists and is not a directory.
     */
    public static void createDirectories(Path dir) {
        java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
        for (Path d = dir.toAbsolutePath(); d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.push(d);
        }
        Path target = dir.toAbsolutePath();
        for (Path d : missing) {
            // Name the directory asked for, and the ancestor where it failed if that is another one.
            String operation = d.equals(target) ? "create directory" : "create directory " + target + ": its ancestor";
            try {
                FaultPoints.io(FaultPoint.DIRECTORY_CREATE, d);
                Files.createDirectory(d);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!Files.isDirectory(d)) {
                    throw FloeIOException.of(operation, d, e);
                }
                continue; // created concurrently: whoever created it makes it durable
            } catch (IOException e) {
                throw FloeIOException.of(operation, d, e);
            }
            fsyncDirectory(directoryOf(d));
        }
    }

    private static Path directoryOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException(file + " has no directory");
        }
        return parent;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // The original failure is the one worth reporting.
        }
    }
}
