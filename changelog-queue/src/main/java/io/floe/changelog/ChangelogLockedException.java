package io.floe.changelog;

import io.floe.common.error.FloeException;

/** Another writer (in this or another process) already holds the changelog open for writing. */
public class ChangelogLockedException extends FloeException {
    private static final long serialVersionUID = 1L;

    public ChangelogLockedException(String lockFile) {
        super("changelog is already open for writing: " + lockFile + " is locked by another writer");
    }
}
