package io.floe.kernel.bucket;

import io.floe.common.RowKind;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.kernel.manifest.BucketVersion;
import io.floe.kernel.manifest.VersionSet;
import io.floe.kernel.merge.KeyFolder;
import io.floe.kernel.merge.MergeEngine;
import io.floe.kernel.read.BucketView;
import io.floe.memtable.EntryView;
import org.agrona.DirectBuffer;

/**
 * The write side of {@code changelog-producer = full}: before each write the writer looks up the
 * key's current row (memtables, then SSTs with bloom filters), merges the written row into it with
 * the table's merge engine, and emits a complete changelog: +I for a new key, -U (old row) then +U
 * (merged row) for a changed key, nothing for an unchanged one, -D with the old row for a delete of
 * a present key, nothing for a delete of an absent key. The memtable stores the merged row under
 * the +I/+U seq (and the delete under the -D seq), so reads take the newest entry of a key.
 *
 * <p>Memory: a folder and two row writers from the table allocator, freed by {@link #close()}.
 * Threads: single owner, the bucket's writer thread.
 */
public final class FullChangelogProducer implements AutoCloseable {
    private final Bucket bucket;
    private final MergeEngine writeEngine;
    private final KeyFolder current;
    private final RowWriter merged;
    private final RowWriter prepared;
    private final RowReader written;
    private final RowReader old;
    private final EntryView view = new EntryView();

    public FullChangelogProducer(Bucket bucket) {
        TableContext ctx = bucket.context();
        this.bucket = bucket;
        this.writeEngine = ctx.writeEngine();
        this.current = new KeyFolder(ctx.engine(), ctx.allocator());
        this.merged = new RowWriter(ctx.schema(), ctx.allocator());
        this.prepared = writeEngine.needsPrepare() ? new RowWriter(ctx.schema(), ctx.allocator()) : null;
        this.written = new RowReader(ctx.schema());
        this.old = new RowReader(ctx.schema());
    }

    /** Upserts the written row {@code row} of key {@code key}; returns the seq of the stored entry, or -1 if nothing changed. */
    public long upsert(DirectBuffer key, int keyLength, DirectBuffer row, int offset, int length) {
        written.wrap(row, offset, length);
        if (prepared != null) {
            writeEngine.prepare(written, prepared);
            written.wrap(prepared.buffer(), 0, prepared.length());
        }
        if (!lookup(key, keyLength)) {
            return bucket.write(RowKind.INSERT, key, 0, keyLength, written.buffer(), written.offset(), written.length());
        }
        RowReader before = current.row();
        old.wrap(before.buffer(), before.offset(), before.length());
        writeEngine.merge(old, written, merged);
        if (merged.length() == old.length() && sameBytes(old, merged)) {
            return -1;
        }
        bucket.appendOnly(RowKind.UPDATE_BEFORE, key, 0, keyLength, old.buffer(), old.offset(), old.length());
        return bucket.write(RowKind.UPDATE_AFTER, key, 0, keyLength, merged.buffer(), 0, merged.length());
    }

    /** Deletes key {@code key}; returns the seq of the -D, or -1 if the key was absent. */
    public long delete(DirectBuffer key, int keyLength) {
        if (!lookup(key, keyLength)) {
            return -1;
        }
        RowReader before = current.row();
        return bucket.write(RowKind.DELETE, key, 0, keyLength, before.buffer(), before.offset(), before.length());
    }

    private static boolean sameBytes(RowReader a, RowWriter b) {
        for (int i = 0; i < a.length(); i++) {
            if (a.buffer().getByte(a.offset() + i) != b.buffer().getByte(i)) {
                return false;
            }
        }
        return true;
    }

    /** Folds the key's current row into {@code current}; returns iff there is one. */
    private boolean lookup(DirectBuffer key, int keyLength) {
        Bucket.RetainedMemtables r = bucket.retainMemtables();
        TableContext ctx = bucket.context();
        long seq = r.seq();
        try (VersionSet.Pin pin = ctx.versions().pin()) {
            BucketVersion bv = pin.version().bucket(bucket.id());
            try (BucketView v = new BucketView(bucket.id(), seq, r.memtables(), bv.runs(), bv.flushedSeq(), ctx.files(),
                    () -> bucket.releaseSnapshot(seq))) {
                return v.get(key, 0, keyLength, current, view);
            }
        }
    }

    @Override
    public void close() {
        current.close();
        merged.close();
        if (prepared != null) {
            prepared.close();
        }
    }
}
