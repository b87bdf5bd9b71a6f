package io.floe.kernel.bucket;

import io.floe.changelog.ChangelogOptions;
import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.ChangelogWriter;
import io.floe.changelog.IsolationLevel;
import io.floe.changelog.TailerOptions;
import io.floe.changelog.UncommittedPolicy;
import io.floe.common.RowKind;
import io.floe.common.error.FloeException;
import io.floe.kernel.manifest.BucketVersion;
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
 * <p>Threads: runs on the thread that opens the table, before any writer exists.
 */
public final class BucketRecovery {
    private BucketRecovery() {
    }

    /** Returns the open, recovered bucket {@code id}. Throws as {@link ChangelogWriter#open} does, or if a record is damaged. */
    public static Bucket open(TableContext ctx, int id, ChangelogOptions changelogOptions) {
        ChangelogWriter changelog = ChangelogWriter.open(changelogOptions.withDir(ctx.layout().changelogDir(id)));
        Bucket bucket = null;
        try {
            long flushedSeq;
            long maxFileSeq = 0;
            try (VersionSet.Pin pin = ctx.versions().pin()) {
                BucketVersion bv = pin.version().bucket(id);
                flushedSeq = bv.flushedSeq();
                for (SortedRun r : bv.runs()) {
                    maxFileSeq = Math.max(maxFileSeq, r.maxSeq());
                }
            }
            boolean abort = changelogOptions.uncommitted() == UncommittedPolicy.ABORT;
            if (abort && Math.max(flushedSeq, maxFileSeq) > Math.max(0, changelog.committedSeq())) {
                throw new FloeException("cannot abort the uncommitted writes of bucket " + id + " of " + ctx.layout().dir()
                        + ": SSTs hold writes up to seq " + Math.max(flushedSeq, maxFileSeq) + " but only seq "
                        + changelog.committedSeq() + " is committed (the table was written with KEEP_UNCOMMITTED); "
                        + "open it with KEEP_UNCOMMITTED and commit first");
            }
            long lastSeq = Math.max(Math.max(flushedSeq, maxFileSeq), Math.max(0, changelog.lastSeq()));
            bucket = new Bucket(id, ctx, changelog, Math.max(flushedSeq, maxFileSeq), abort);
            if (changelog.lastSeq() > flushedSeq) {
                try (ChangelogTailer tailer = changelog.newTailer(TailerOptions.fromSeq(flushedSeq + 1)
                        .withIsolation(IsolationLevel.READ_UNCOMMITTED))) {
                    for (ChangelogRecord r = tailer.poll(); r != null; r = tailer.poll()) {
                        if (r.seq() <= flushedSeq || r.kind() == RowKind.UPDATE_BEFORE) {
                            continue;
                        }
                        bucket.replay(r.seq(), r.kind(), r.key(), r.keyLength(), r.row(), r.rowLength());
                        if (r.seq() >= changelog.lastSeq()) {
                            break;
                        }
                    }
                }
            }
            bucket.resumeAfter(lastSeq);
            return bucket;
        } catch (RuntimeException | Error e) {
            if (bucket != null) {
                bucket.close();
            } else {
                changelog.close();
            }
            throw e;
        }
    }
}
