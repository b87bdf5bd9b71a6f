package io.floe.changelog;

/**
 * What {@link ChangelogWriter#commit(long)} does to make the committed records durable.
 *
 * <p>Appends always land in the page cache through a shared memory mapping, so an appended record
 * survives the crash of the appending process (kill -9, JVM crash) whether or not it was
 * committed; what differs is a crash of the machine (power loss, kernel panic).
 */
public enum SyncMode {
    /**
     * Commit publishes the watermark but does not sync. Guarantees: every committed record
     * survives a process crash. After a machine crash any suffix of the log may be lost or torn,
     * committed or not; recovery then cuts the log at the first damaged record and clamps the
     * watermark down to the last surviving record (reported in {@link RecoveryReport}).
     */
    NONE,
    /**
     * Commit fsyncs every queue file written since the last commit, the queue directory when a new
     * file appeared, and then the watermark file, before it returns. Guarantees: every committed
     * record survives a process crash and a machine crash (given a device that honours fsync).
     * Records appended after the last commit may be lost or torn by a machine crash; recovery cuts
     * them off.
     */
    FSYNC_ON_COMMIT
}
