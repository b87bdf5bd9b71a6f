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
final class FloeSinkWriter implements CommittingSinkWriter<RowData, FloeCommittable> {
    private final FloeStores.Lease lease;
    private final Table table;
    private final int bucketField;
    private final ProjectedRowData columns;
    private final RowDataWriter converter;
    private final OffHeapAllocator allocator;
    private final RowWriter row;
    /** The writers of the buckets this subtask wrote, by bucket. */
    private final TreeMap<Integer, BucketWriter> writers = new TreeMap<>();
    /** The buckets written since the last prepare (a prepare of an unwritten bucket would repeat the last commit). */
    private final TreeMap<Integer, Boolean> dirty = new TreeMap<>();
    /** Whether the job runs in batch mode: no checkpoints, so the writer commits its last writes itself at end of input. */
    private final boolean batch;
    private boolean endOfInput;
    private long prepares;

    FloeSinkWriter(ReadSpec spec, boolean batch) {
        this.batch = batch;
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
            writer = table.writer(bucket);
            writers.put(bucket, writer);
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
            }
        }
        dirty.clear();
        return prepared;
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
