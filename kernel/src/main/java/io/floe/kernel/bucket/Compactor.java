package io.floe.kernel.bucket;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.kernel.compaction.BucketShape;
import io.floe.kernel.compaction.CompactionPlan;
import io.floe.kernel.compaction.UniversalPicker;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.SortedRun;
import io.floe.kernel.manifest.VersionEdit;
import io.floe.kernel.merge.KeyFolder;
import io.floe.kernel.options.Compression;
import io.floe.kernel.read.EntrySource;
import io.floe.kernel.read.MergingIterator;
import io.floe.kernel.read.RunSource;
import io.floe.sst.SstMetadata;
import io.floe.sst.SstWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Merges adjacent sorted runs of a bucket into one run, recorded in the manifest as one edit
 * (inputs removed, output added). Per key, entries newer than the oldest live snapshot are kept as
 * they are; the entries at or below it are folded by the merge engine into one row at the seq of
 * the newest of them, since no snapshot can tell them apart. A delete the fold stopped at is kept
 * under the folded row, unless the output is the bottom run (nothing older can be shadowed), where
 * a key whose newest state is a delete vanishes.
 *
 * <p>Memory: cursors, a key copy, the folder's rows and the SST writer's buffers, all freed before
 * it returns. Threads: one compaction per bucket at a time (the bucket serializes them).
 */
final class Compactor {
    private Compactor() {
    }

    /** A compaction to run: adjacent runs, newest first, and whether the output is the bottom run. */
    record Job(List<SortedRun> inputs, boolean bottom) {
    }

    /** Returns the picker's compaction of {@code runs} (newest first), or null if it picks none. */
    static Job picked(UniversalPicker picker, List<SortedRun> runs) {
        List<BucketShape.Run> shape = new ArrayList<>(runs.size());
        for (SortedRun r : runs) {
            shape.add(new BucketShape.Run(r.runId(), r.sizeBytes()));
        }
        Optional<CompactionPlan> plan = picker.pick(new BucketShape(shape));
        if (plan.isEmpty()) {
            return null;
        }
        List<SortedRun> inputs = new ArrayList<>();
        for (BucketShape.Run in : plan.get().inputs()) {
            for (SortedRun r : runs) {
                if (r.runId() == in.runId()) {
                    inputs.add(r);
                }
            }
        }
        return new Job(inputs, plan.get().outputBottom());
    }

    /**
     * Returns the compaction of every run into a new bottom run, or null if there is nothing to gain:
     * no run, or only {@code lastBottomRun} (written by a full compaction, so it holds no deletes).
     */
    static Job everything(List<SortedRun> runs, long lastBottomRun) {
        if (runs.isEmpty() || (runs.size() == 1 && runs.get(0).runId() == lastBottomRun)) {
            return null;
        }
        return new Job(runs, true);
    }

    /**
     * Merges {@code inputs} (adjacent runs, newest first) of {@code bucket}; {@code bottom} iff they
     * include the bottom run; {@code oldestSnapshot} is the smallest seq a live snapshot reads at
     * ({@link Long#MAX_VALUE} if none). Returns the edit to apply (not yet applied).
     */
    static VersionEdit compact(TableContext ctx, int bucket, List<SortedRun> inputs, boolean bottom, long oldestSnapshot) {
        List<EntrySource> sources = new ArrayList<>(inputs.size());
        for (SortedRun r : inputs) {
            sources.add(new RunSource(ctx.files(), r, Long.MAX_VALUE));
        }
        VersionEdit.Builder edit = VersionEdit.builder();
        for (SortedRun r : inputs) {
            for (FileMeta f : r.files()) {
                edit.remove(bucket, f.fileNumber());
            }
        }
        long number = ctx.versions().newFileNumber();
        Compression codec = bottom ? ctx.options().compression().bottom() : ctx.options().compression().compacted();
        java.nio.file.Path path = ctx.layout().sstFile(bucket, number);
        long inputBytes = 0;
        for (SortedRun r : inputs) {
            inputBytes += r.sizeBytes();
        }
        try (MergingIterator it = new MergingIterator(sources);
             KeyFolder folder = new KeyFolder(ctx.engine(), ctx.allocator());
             GrowableBuffer key = new GrowableBuffer(ctx.allocator(), MemoryPurpose.ROW, 64);
             GrowableBuffer deleteRow = new GrowableBuffer(ctx.allocator(), MemoryPurpose.ROW, 64);
             SstWriter w = SstWriter.open(path, ctx.schema(), Flusher.sstOptions(ctx.options(), codec, inputBytes),
                     ctx.allocator())) {
            long written = 0;
            it.seekToFirst();
            while (it.valid()) {
                if (it.currentIsOnlyVersion() && it.current() instanceof RunSource run) {
                    // The common case: a key with one entry. Folding one entry gives it back, so its
                    // columns go to the output as they are, without assembling a row.
                    written += copyOnlyVersion(w, run, oldestSnapshot, bottom);
                    it.next();
                    continue;
                }
                int keyLength = it.keyLength();
                key.ensureCapacity(keyLength, 0);
                key.buffer().putBytes(0, it.keyBuffer(), it.keyOffset(), keyLength);
                // Entries some snapshot may still need on their own.
                while (it.valid() && it.seq() > oldestSnapshot && sameKey(it, key, keyLength)) {
                    w.add(it.keyBuffer(), it.keyOffset(), keyLength, it.seq(), it.kind(), it.rowBuffer(), it.rowOffset(), it.rowLength());
                    written++;
                    it.next();
                }
                folder.reset();
                long newestSeq = -1;
                long deleteSeq = -1;
                int deleteLength = 0;
                boolean more = true;
                while (it.valid() && sameKey(it, key, keyLength)) {
                    if (more) {
                        if (newestSeq < 0) {
                            newestSeq = it.seq();
                        }
                        if (it.kind() == RowKind.DELETE) {
                            more = folder.addDelete();
                            deleteSeq = it.seq();
                            deleteLength = it.rowLength();
                            deleteRow.ensureCapacity(deleteLength, 0);
                            deleteRow.buffer().putBytes(0, it.rowBuffer(), it.rowOffset(), deleteLength);
                        } else {
                            more = folder.addUpsert(it.rowBuffer(), it.rowOffset(), it.rowLength());
                        }
                    }
                    it.next();
                }
                if (folder.hasRow()) {
                    var row = folder.row();
                    w.add(key.buffer(), 0, keyLength, newestSeq, RowKind.INSERT, row.buffer(), row.offset(), row.length());
                    written++;
                }
                if (folder.reachedDelete() && !bottom) {
                    w.add(key.buffer(), 0, keyLength, deleteSeq, RowKind.DELETE, deleteRow.buffer(), 0, deleteLength);
                    written++;
                }
            }
            if (written > 0) {
                SstMetadata m = w.finish();
                edit.add(new FileMeta(bucket, number, number, m.fileSize(), m.minKey(), m.maxKey(), m.minSeq(), m.maxSeq(), m.rowCount()));
            }
        }
        return edit.build();
    }

    /**
     * Writes the only entry of its key, at {@code run}'s position, as the merge loop would: as it is
     * if a snapshot may need it on its own, otherwise an upsert as the key's row (kind INSERT) and a
     * delete kept unless the output is the bottom run. Returns the entries written (0 or 1).
     */
    private static int copyOnlyVersion(SstWriter w, RunSource run, long oldestSnapshot, boolean bottom) {
        long seq = run.seq();
        RowKind kind = run.kind();
        if (seq > oldestSnapshot) {
            w.addFrom(run.entries(), seq, kind);
        } else if (kind != RowKind.DELETE) {
            w.addFrom(run.entries(), seq, RowKind.INSERT);
        } else if (!bottom) {
            w.addFrom(run.entries(), seq, RowKind.DELETE);
        } else {
            return 0;
        }
        return 1;
    }

    private static boolean sameKey(MergingIterator it, GrowableBuffer key, int keyLength) {
        return ByteComparisons.compare(it.keyBuffer(), it.keyOffset(), it.keyLength(), key.buffer(), 0, keyLength) == 0;
    }
}
