package io.floe.flink.sink;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.flink.FloeStores;
import io.floe.flink.ReadSpec;
import io.floe.flink.RowDataWriter;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.types.RowKind;

/**
 * One sink subtask's writer: writes the rows routed to it ({@link FloeBucketAssigner} appended each
 * row's bucket as its last field, and Flink sent every bucket to exactly one subtask) through one
 * {@link BucketWriter} per bucket, and on each checkpoint barrier prepares every bucket it wrote
 * since the last barrier ({@link #prepareCommit}).
 *
 * <p>Changes: +I and +U are upserts; -D and -U delete the key. The planner sends a -U to an upsert
 * sink when a row leaves the result without a replacement (e.g. an updated row a filter now drops);
 * when a +U follows, it writes the key again.
 *
 * <p>Threads: single owner, the sink subtask's thread. Memory: one row buffer from its own
 * allocator, freed with the bucket writers and the table lease by {@link #close()}.
 */
final class FloeSinkWriter implements CommittingSinkWriter<RowData, FloeCommittable>, StatefulSinkWriter<RowData, FloeCommittable> {
    private final FloeStores.Lease lease;
    private final Table table;
    private final int bucketField;
    private final ProjectedRowData columns;
    private final RowDataWriter converter;
    private final OffHeapAllocator allocator;
    private final RowWriter row;
    /** The writers of the buckets this subtask wrote, by bucket. */
    private final TreeMap<Integer, BucketWriter> writers = new TreeMap<>();
    /**
     * Each bucket's restore point: the seq its last prepare returned (this writer's, or the restored
     * state's for a bucket not written since). Checkpointed by {@link #snapshotState}; a bucket is
     * restored to it when this writer first opens it ({@link BucketWriter#restore}).
     */
    private final TreeMap<Integer, Long> restorePoints = new TreeMap<>();
    /** The buckets written since the last prepare (a prepare of an unwritten bucket would repeat the last commit). */
    private final TreeMap<Integer, Boolean> dirty = new TreeMap<>();
    /** Whether the job runs in batch mode: no checkpoints, so the writer commits its last writes itself at end of input. */
    private final boolean batch;
    private boolean endOfInput;
    private long prepares;

    /**
     * A writer of the table {@code spec} names; {@code restored} holds the restore points of the
     * checkpoint the job restores from (empty for a fresh start; on a rescale, points of buckets other
     * subtasks now own are carried along unused).
     */
    FloeSinkWriter(ReadSpec spec, boolean batch, Collection<FloeCommittable> restored) {
        this.batch = batch;
        for (FloeCommittable point : restored) {
            restorePoints.merge(point.bucket(), point.seq(), Math::max);
        }
        Schema schema = spec.schema();
        this.lease = spec.acquire();
        this.table = lease.table();
        this.bucketField = schema.columnCount();
        int[] physical = new int[schema.columnCount()];
        for (int i = 0; i < physical.length; i++) {
            physical[i] = i;
        }
        this.columns = ProjectedRowData.from(physical);
        this.converter = new RowDataWriter(schema);
        this.allocator = new OffHeapAllocator("floe sink rows of " + spec.flinkTableName(), 64L << 20);
        this.row = new RowWriter(schema, allocator);
    }

    /**
     * Writes {@code input} (the table's columns plus its bucket) to its bucket.
     * Throws {@link IllegalStateException} if the bucket is not this subtask's to write (another
     * writer holds it), {@link io.floe.common.error.FloeException} as the kernel's writes do.
     */
    @Override
    public void write(RowData input, Context context) {
        RowKind kind = input.getRowKind();
        int bucket = input.getInt(bucketField);
        int length = converter.write(columns.replaceRow(input), row);
        BucketWriter writer = writers.get(bucket);
        if (writer == null) {
            writer = open(bucket);
        }
        if (kind == RowKind.DELETE || kind == RowKind.UPDATE_BEFORE) {
            writer.delete(row.buffer(), 0, length);
        } else {
            writer.upsert(row.buffer(), 0, length);
        }
        dirty.put(bucket, Boolean.TRUE);
    }

    @Override
    public void flush(boolean endOfInput) {
        this.endOfInput |= endOfInput;
        // Nothing is buffered here: every write is in the bucket's changelog and memtable, and
        // prepareCommit (which Flink calls right after, on the barrier or at end of input) makes it durable.
    }

    /**
     * Prepares every bucket written since the last call and returns a committable per bucket.
     * Flink does not pass the checkpoint id here; the kernel uses the id of a prepare only in
     * error messages, so this writer's prepare counter names it.
     */
    @Override
    public Collection<FloeCommittable> prepareCommit() {
        prepares++;
        List<FloeCommittable> prepared = new ArrayList<>(dirty.size());
        for (Integer bucket : dirty.keySet()) {
            long seq = writers.get(bucket).prepareCommit(prepares);
            if (seq >= 0) {
                if (batch && endOfInput) {
                    // A batch job has no checkpoints to wait for, and its committer may run in a later
                    // stage, after this writer closed the table (reopening it would abort these writes).
                    writers.get(bucket).commitPrepared(seq, seq);
                }
                prepared.add(new FloeCommittable(bucket, seq));
                restorePoints.put(bucket, seq);
            }
        }
        dirty.clear();
        return prepared;
    }

    /**
     * Returns the restore point of every bucket this writer prepared or restored: called by Flink
     * right after {@link #prepareCommit} for the same checkpoint, so the points are exactly what that
     * checkpoint's committables publish (or, for a bucket not written since, an earlier checkpoint's).
     */
    @Override
    public List<FloeCommittable> snapshotState(long checkpointId) {
        List<FloeCommittable> state = new ArrayList<>(restorePoints.size());
        restorePoints.forEach((bucket, seq) -> state.add(new FloeCommittable(bucket, seq)));
        return state;
    }

    /**
     * Opens the writer of {@code bucket} and decides the bucket's uncommitted writes: with a restore
     * point, the writes up to it are committed (the restored checkpoint completed; its committer may
     * not have run) and everything above it is aborted (the source replays it); without one (a fresh
     * job) everything uncommitted is aborted.
     */
    private BucketWriter open(int bucket) {
        BucketWriter writer = table.writer(bucket);
        try {
            Long point = restorePoints.get(bucket);
            if (point == null) {
                writer.abortUncommitted();
            } else {
                // The prepared seq doubles as the commit id (see FloeSink).
                writer.restore(point, point);
            }
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        writers.put(bucket, writer);
        return writer;
    }

    /** Closes the bucket writers (their uncommitted writes stay until committed, or aborted when the table is reopened). */
    @Override
    public void close() {
        try {
            writers.values().forEach(BucketWriter::close);
            writers.clear();
            row.close();
            allocator.close();
        } finally {
            lease.close();
        }
    }
}
