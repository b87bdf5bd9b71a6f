package io.floe.common.io;

/**
 * The named places in Floe's write path and file I/O where a test may crash the process or fail
 * the operation ({@link FaultPoints}). A point marked <em>kill</em> only ever halts; a point marked
 * <em>I/O</em> is one file operation, counted by the I/O error loop, and may also halt.
 */
public enum FaultPoint {
    /** Kill: a changelog record is written into the queue mapping but its excerpt is not yet closed. */
    CHANGELOG_APPEND,
    /** Kill: a commit or prepare is about to fsync the changelog's queue files. */
    CHANGELOG_SYNC_BEFORE,
    /** Kill: the changelog's queue files are fsynced; the watermark is not yet published. */
    CHANGELOG_SYNC_AFTER,
    /** Kill: a commit is about to write the committed watermark. */
    WATERMARK_PUBLISH,
    /** I/O: the fsync of the watermark file. */
    WATERMARK_FSYNC,
    /** I/O: creating the temporary file of a new SST. */
    SST_CREATE,
    /** I/O: one write of SST data. */
    SST_WRITE,
    /** I/O: the fsync of a finished SST before its publishing rename. */
    SST_FSYNC,
    /** I/O: opening an SST for reading. */
    SST_OPEN,
    /** I/O: one positional read of an SST. */
    SST_READ,
    /** I/O: creating a manifest log. */
    MANIFEST_CREATE,
    /** I/O: writing one version edit to the manifest log. */
    MANIFEST_APPEND,
    /** I/O: the fsync of the manifest log after an append. */
    MANIFEST_FSYNC,
    /** Kill: the manifest pointer (CURRENT) is about to be switched to a new log. */
    MANIFEST_POINTER_SWITCH,
    /** I/O: deleting a manifest log no longer named by CURRENT. */
    MANIFEST_DELETE,
    /** I/O: deleting an SST no version needs any more. */
    OBSOLETE_DELETE,
    /** I/O: deleting an SST the manifest does not name, at open. */
    ORPHAN_DELETE,
    /** I/O: creating a directory. */
    DIRECTORY_CREATE,
    /** I/O: writing a small file whole ({@link DurableFiles#writeAtomically}). */
    FILE_WRITE,
    /** I/O: the fsync of a file's data ({@link DurableFiles}). */
    FILE_FSYNC,
    /** I/O: the fsync of a directory ({@link DurableFiles#fsyncDirectory}). */
    DIRECTORY_FSYNC,
    /** I/O: the atomic rename that publishes a file ({@link DurableFiles#publish}). */
    FILE_RENAME
}
