package io.floe.kernel.read;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.kernel.merge.KeyFolder;
import io.floe.kernel.merge.MergeEngine;
import io.floe.sst.Predicate;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The rows a snapshot sees in a key range of one bucket: the k-way merge of its sources, each key's
 * entries folded newest first by the merge engine ({@link KeyFolder}), keys whose newest state is a
 * delete dropped, then the predicate applied to the merged row and the projection written. A key
 * whose only visible entry is an upsert is returned in place (its source's row and key, no copy),
 * the merge moving past it at the next call.
 *
 * <p>Memory: the key copy, the folder's rows and the projection row come from the allocator and are
 * freed by {@link #close()}, which also closes the sources. Threads: single owner.
 */
public final class VisibleRows implements AutoCloseable {
    private final MergingIterator merged;
    private final KeyFolder folder;
    private final GrowableBuffer key;
    private final byte[] toKey;
    private final Predicate predicate;
    private final int[] projection;
    private final RowWriter projected;
    private final RowReader projectedReader;
    /** The current key at offset 0: a view of the source's key or of {@link #key}. */
    private final UnsafeBuffer keyView = new UnsafeBuffer(new byte[0]);
    /** The current row when it is a source's stored row (a key's only version). */
    private final RowReader stored;
    /** Iff the current row is a view of the merge's current entry: the merge moves on at the next call. */
    private boolean advancePending;
    private int keyLength;
    private RowReader current;

    /**
     * Requires: {@code sources} newest first with disjoint seqs. {@code fromKey} (inclusive) and
     * {@code toKey} (exclusive) are encoded keys or null for unbounded; {@code projection} indexes
     * columns of the engine's schema into {@code projectedSchema}, or is null for whole rows. When
     * the sources leave columns unread ({@link BucketView#sources(Predicate, boolean[])}), they must
     * read the projected and predicate columns and {@code engine} must accept null in the others
     * ({@link ProjectedEngine}).
     */
    public VisibleRows(List<EntrySource> sources, MergeEngine engine, OffHeapAllocator allocator, byte[] fromKey, byte[] toKey,
                       Predicate predicate, int[] projection, Schema projectedSchema) {
        this.merged = new MergingIterator(sources);
        this.folder = new KeyFolder(engine, allocator);
        this.key = new GrowableBuffer(allocator, MemoryPurpose.ROW, 64);
        this.toKey = toKey;
        this.predicate = predicate;
        this.projection = projection;
        this.projected = projection == null ? null : new RowWriter(projectedSchema, allocator);
        this.projectedReader = projection == null ? null : new RowReader(projectedSchema);
        this.stored = new RowReader(engine.schema());
        if (fromKey == null) {
            merged.seekToFirst();
        } else {
            merged.seek(new UnsafeBuffer(fromKey), 0, fromKey.length);
        }
    }

    /** Moves to the next visible row. Returns iff there is one. */
    public boolean next() {
        if (advancePending) {
            advancePending = false;
            merged.next();
        }
        while (merged.valid()) {
            EntrySource top = merged.current();
            DirectBuffer kb = top.keyBuffer();
            int ko = top.keyOffset();
            keyLength = top.keyLength();
            if (toKey != null && ByteComparisons.compare(kb, ko, keyLength, toKey) >= 0) {
                return false;
            }
            if (merged.currentIsOnlyVersion()) {
                // The fold of a key's only version is that version: read it in place, no copy.
                if (top.kind() == RowKind.DELETE) {
                    merged.next();
                    continue;
                }
                RowReader row = stored.wrap(top.rowBuffer(), top.rowOffset(), top.rowLength());
                if (!RowPredicate.test(predicate, row)) {
                    merged.next();
                    continue;
                }
                keyView.wrap(kb, ko, keyLength);
                current = projection == null ? row : project(row);
                advancePending = true;
                return true;
            }
            key.ensureCapacity(keyLength, 0);
            key.buffer().putBytes(0, kb, ko, keyLength);
            folder.reset();
            boolean more = true;
            do {
                if (more) {
                    more = merged.kind() == RowKind.DELETE ? folder.addDelete()
                            : folder.addUpsert(merged.rowBuffer(), merged.rowOffset(), merged.rowLength());
                }
                merged.next();
            } while (merged.valid() && ByteComparisons.compare(merged.keyBuffer(), merged.keyOffset(), merged.keyLength(), key.buffer(), 0,
                    keyLength) == 0);
            if (!folder.hasRow()) {
                continue;
            }
            RowReader row = folder.row();
            if (!RowPredicate.test(predicate, row)) {
                continue;
            }
            keyView.wrap(key.buffer(), 0, keyLength);
            current = projection == null ? row : project(row);
            return true;
        }
        return false;
    }

    private RowReader project(RowReader row) {
        projected.reset();
        for (int i = 0; i < projection.length; i++) {
            projected.setFrom(i, row, projection[i]);
        }
        projected.complete();
        return projectedReader.wrap(projected.buffer(), 0, projected.length());
    }

    /** Returns the current row. Requires: the last {@link #next()} returned true. Valid until the next move. */
    public RowReader row() {
        return current;
    }

    /** Returns the current encoded key. Requires: the last {@link #next()} returned true. */
    public DirectBuffer keyBuffer() {
        return keyView;
    }

    public int keyLength() {
        return keyLength;
    }

    @Override
    public void close() {
        merged.close();
        folder.close();
        key.close();
        if (projected != null) {
            projected.close();
        }
    }
}
