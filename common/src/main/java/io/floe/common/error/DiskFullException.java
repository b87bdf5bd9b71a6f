package io.floe.common.error;

import java.nio.file.Path;

/**
 * The device holding a path is out of space. Nothing acknowledged before this error is lost; the
 * operation that raised it did not take effect and may be retried once space is freed.
 */
public class DiskFullException extends FloeIOException {
    private static final long serialVersionUID = 1L;

    public DiskFullException(String operation, Path path, Throwable cause) {
        super(operation, path, cause);
    }
}
