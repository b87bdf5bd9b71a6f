package io.floe.kernel.bucket;

import io.floe.changelog.ChangelogWriter;
import io.floe.changelog.UncommittedPolicy;
import io.floe.common.error.FloeException;
import io.floe.kernel.manifest.BucketVersion;
import io.floe.kernel.options.RecoveryPolicy;
import io.floe.kernel.manifest.SortedRun;
import io.floe.kernel.manifest.VersionSet;

/**
 * Opens a bucket and recovers its memtable: the changelog is the write-ahead log, and every record
 * above the bucket's flushed seq (recorded in the manifest with each flush) is replayed into the
 * memtable, in seq order. Records at or below the flushed seq are already in SSTs and are not
 * applied again; {@code -U} records (written only by the full changelog producer) are changelog
 * output, not state, and are skipped. New writes continue above the highest seq anywhere.
 *
 * <p>What survives: every record the changelog still holds after its own recovery, which after a
 * process crash is every appended record (appends land in a shared mapping), committed or not;
 * with {@link UncommittedPolicy#ABORT} ({@code RecoveryPolicy.ABORT_UNCOMMITTED}) only the
 * committed ones: the changelog voids the rest when it opens, and SSTs never hold them (see
 * {@link Bucket}). A bucket whose SSTs hold uncommitted writes (flushed by an earlier open with
 * KEEP) cannot be opened in abort mode: that throws {@link FloeException} naming both seqs.
 *
 * <p>With {@link RecoveryPolicy#DEFER_TO_WRITER} the changelog keeps its uncommitted records at
 * open; they are replayed (read-uncommitted readers see them, read-committed ones do not) and wait
 * for the bucket's next writer to decide, with its restore point, which of them a commit publishes
 * and which are aborted ({@link Bucket#restore}); until then the bucket refuses writes.
 *
 * <p>Threads: runs on the thread that opens the table, before any writer exists.
 */
public final class BucketRecovery {
    private BucketRecovery() {
    }

    /**
     * Returns the open, recovered bucket {@code id}. Throws as {@link ChangelogWriter#open} does, if a
     * record is damaged, or {@link FloeException} if SSTs hold uncommitted writes in an abort mode.
     */
    public static Bucket open(TableContext ctx, int id, RecoverySettings settings) {
        ChangelogWriter changelog = ChangelogWriter.open(settings.changelogTemplate().withDir(ctx.layout().changelogDir(id)));
        CommitTimes commitTimes = null;
        Bucket bucket = null;
        try {
            commitTimes = CommitTimes.open(ctx.layout().commitTimesFile(id));
            long flushedSeq;
            long maxFileSeq = 0;
            try (VersionSet.Pin pin = ctx.versions().pin()) {
                BucketVersion bv = pin.version().bucket(id);
                flushedSeq = bv.flushedSeq();
                for (SortedRun r : bv.runs()) {
                    maxFileSeq = Math.max(maxFileSeq, r.maxSeq());
                }
            }
            long committed = Math.max(0, changelog.committedSeq());
            if (settings.abortMode() && Math.max(flushedSeq, maxFileSeq) > committed) {
                throw new FloeException("cannot abort the uncommitted writes of bucket " + id + " of " + ctx.layout().dir()
                        + ": SSTs hold writes up to seq " + Math.max(flushedSeq, maxFileSeq) + " but only seq "
                        + changelog.committedSeq() + " is committed (the table was written with KEEP_UNCOMMITTED); "
                        + "open it with KEEP_UNCOMMITTED and commit first");
            }
            long lastSeq = Math.max(Math.max(flushedSeq, maxFileSeq), Math.max(0, changelog.lastSeq()));
            bucket = new Bucket(id, ctx, changelog, commitTimes, Math.max(flushedSeq, maxFileSeq), settings.abortMode());
            Bucket target = bucket;
            long replayed = ChangelogReplay.replay(changelog, flushedSeq + 1, Long.MAX_VALUE, target::replay);
            bucket.resumeAfter(lastSeq, Math.max(replayed, Math.max(flushedSeq, maxFileSeq)));
            if (settings.policy() == RecoveryPolicy.DEFER_TO_WRITER && changelog.recovery().lastSeq() > committed) {
                bucket.awaitRestore();
            }
            return bucket;
        } catch (RuntimeException | Error e) {
            if (bucket != null) {
                bucket.close();
            } else {
                changelog.close();
                if (commitTimes != null) {
                    commitTimes.close();
                }
            }
            throw e;
        }
    }
}
