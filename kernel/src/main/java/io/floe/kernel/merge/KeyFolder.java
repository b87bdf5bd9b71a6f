package io.floe.kernel.merge;

import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import org.agrona.DirectBuffer;

/**
 * Folds the entries of one key, newest first, with a {@link MergeEngine}: the piece that point
 * lookups, merged scans, compaction and the full changelog producer share.
 *
 * <p>Use: {@link #reset()}, then {@link #addUpsert}/{@link #addDelete} for the key's entries from
 * newest to oldest while they return true (false: older entries cannot change the result), then
 * read {@link #hasRow()}, {@link #row()} and {@link #reachedDelete()}.
 *
 * <p>Results: {@code hasRow()} iff some upsert is newer than the newest delete; then {@link #row()}
 * is the fold of those upserts. {@code reachedDelete()} iff the fold stopped at a delete: a
 * compaction whose output is not the bottom run must keep that delete under the folded row, since
 * older runs may hold rows it shadows.
 *
 * <p>Memory: two row buffers from the allocator ({@link MemoryPurpose#ROW}), freed by {@link #close()}.
 * {@link #row()} is valid until the next add or reset. Threads: single owner. Allocates nothing
 * per key once the buffers have grown (except what the engine's merge allocates).
 */
public final class KeyFolder implements AutoCloseable {
    private final MergeEngine engine;
    private final RowWriter merged;
    private final GrowableBuffer acc;
    private final RowReader accReader;
    private final RowReader older;
    private int accLength;
    private boolean hasRow;
    private boolean done;
    private boolean reachedDelete;

    public KeyFolder(MergeEngine engine, OffHeapAllocator allocator) {
        this.engine = engine;
        this.merged = new RowWriter(engine.schema(), allocator);
        this.acc = new GrowableBuffer(allocator, MemoryPurpose.ROW, 256);
        this.accReader = new RowReader(engine.schema());
        this.older = new RowReader(engine.schema());
    }

    /** Starts a new key. */
    public void reset() {
        hasRow = false;
        done = false;
        reachedDelete = false;
        accLength = 0;
    }

    /**
     * Adds the next older entry of the key, an upsert of the stored row {@code buffer[offset, offset+length)}.
     * Returns iff older entries may still change the result.
     */
    public boolean addUpsert(DirectBuffer buffer, int offset, int length) {
        if (done) {
            return false;
        }
        if (!hasRow) {
            store(buffer, offset, length);
            hasRow = true;
            done = engine.newestWins();
            return !done;
        }
        older.wrap(buffer, offset, length);
        engine.merge(older, accReader.wrap(acc.buffer(), 0, accLength), merged);
        store(merged.buffer(), 0, merged.length());
        return true;
    }

    /** Adds the next older entry of the key, a delete. Returns false: nothing older matters. */
    public boolean addDelete() {
        if (!done) {
            reachedDelete = true;
            done = true;
        }
        return false;
    }

    private void store(DirectBuffer buffer, int offset, int length) {
        acc.ensureCapacity(length, 0);
        acc.buffer().putBytes(0, buffer, offset, length);
        accLength = length;
    }

    /** Returns iff an upsert newer than the newest delete was added. */
    public boolean hasRow() {
        return hasRow;
    }

    /** Returns iff the fold stopped at a delete. */
    public boolean reachedDelete() {
        return reachedDelete;
    }

    /** Returns the folded row. Requires: {@link #hasRow()}. Valid until the next add or reset. */
    public RowReader row() {
        if (!hasRow) {
            throw new IllegalStateException("no row: the key's newest entry is a delete or nothing was added");
        }
        return accReader.wrap(acc.buffer(), 0, accLength);
    }

    public MergeEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        merged.close();
        acc.close();
    }
}
