package io.floe.common.error;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An I/O operation on a named path failed (permissions, a missing directory, a device error).
 * Wraps the underlying {@link IOException} and names the path and the operation.
 */
public class FloeIOException extends FloeException {
    private static final long serialVersionUID = 1L;

    private final String path;

    public FloeIOException(String operation, Path path, Throwable cause) {
        this(operation, String.valueOf(path), cause);
    }

    public FloeIOException(String operation, String path, Throwable cause) {
        super(operation + " failed for " + path + (cause == null ? "" : ": " + cause), cause);
        this.path = path;
    }

    /** Returns the path the failed operation was working on. */
    public String path() {
        return path;
    }

    /**
     * Returns a {@link DiskFullException} if {@code e} says the device is out of space, otherwise a
     * plain {@link FloeIOException}. Java reports ENOSPC only through the message text.
     */
    public static FloeIOException of(String operation, Path path, IOException e) {
        String message = e.getMessage();
        if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
            return new DiskFullException(operation, path, e);
        }
        return new FloeIOException(operation, path, e);
    }
}
