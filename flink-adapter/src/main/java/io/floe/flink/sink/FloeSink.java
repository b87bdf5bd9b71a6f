package io.floe.flink.sink;

import io.floe.flink.ReadSpec;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

/**
 * The exactly-once Floe sink (Flink SinkV2 with a committer): rows carrying their bucket as a last
 * field ({@link FloeBucketAssigner}), partitioned so each bucket has one writer subtask.
 *
 * <p>Two-phase commit. On each checkpoint barrier Flink calls the writer's {@code prepareCommit()},
 * which calls {@code BucketWriter.prepareCommit} for every bucket written since the last barrier (its
 * writes become durable, still invisible to read-committed readers) and emits
 * {@link FloeCommittable}{@code (bucket, preparedSeq)}. Flink stores the committables with that
 * checkpoint and, once the checkpoint completes, hands them to the committer, which publishes them
 * with {@code Table.commit(bucket, seq, seq)}. At end of input the last writes are prepared and
 * committed the same way, except in batch mode: there are no checkpoints, and the committer may run
 * in a later stage after the writer closed the table, so each writer commits its last writes itself
 * at end of input (a batch failover re-runs the writers: exactly once for upserts by key, not for
 * aggregation merge engines). On a failover the tables are reopened with
 * {@code RecoveryPolicy.ABORT_UNCOMMITTED} (see {@code FloeStores}), which aborts every write after
 * the last commit, and the source replays from the restored checkpoint; Flink re-delivers the restored
 * checkpoint's committables, and re-committing them does nothing.
 *
 * <p>Which id the kernel commit carries: the prepared seq, not Flink's checkpoint id. The kernel
 * ignores a commit whose id is not above the bucket's last one; Flink's ids restart at 1 in every new
 * job (and end of input uses {@code Long.MAX_VALUE}), so a second job writing the table would have
 * its commits ignored. A bucket's seqs only grow, across restarts and jobs, so they are ids the kernel
 * can order. Which writes a completed checkpoint covers is still Flink's checkpoint: the committer
 * sees exactly the committables of completed checkpoints.
 *
 * <p>Immutable and serializable (the plan ships it to the TaskManagers).
 */
public final class FloeSink implements Sink<RowData>, SupportsCommitter<FloeCommittable> {
    private static final long serialVersionUID = 1L;

    private final ReadSpec spec;
    private final boolean batch;

    /** A sink of the table {@code spec} names; {@code batch} iff the job runs in batch mode. */
    public FloeSink(ReadSpec spec, boolean batch) {
        this.spec = spec;
        this.batch = batch;
    }

    @Override
    public CommittingSinkWriter<RowData, FloeCommittable> createWriter(WriterInitContext context) {
        return new FloeSinkWriter(spec, batch);
    }

    @Override
    public Committer<FloeCommittable> createCommitter(CommitterInitContext context) {
        return new FloeSinkCommitter(spec);
    }

    @Override
    public SimpleVersionedSerializer<FloeCommittable> getCommittableSerializer() {
        return new FloeCommittable.Serializer();
    }
}
