package io.floe.flink.sink;

import io.floe.flink.ReadSpec;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import java.util.Collection;
import java.util.List;
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
 * aggregation merge engines).
 *
 * <p>Restore. The writer's state is each bucket's restore point: the seq its last prepare returned,
 * checkpointed with the committables of the same barrier. A restored writer opens each bucket with
 * {@code BucketWriter.restore(seq, seq)}: the writes up to the restore point are committed (Flink
 * completed that checkpoint, but the process may have died before its committer ran) and everything
 * above is aborted (the source replays it). Tables are opened with {@code RecoveryPolicy.DEFER_TO_WRITER}
 * (see {@code FloeStores}), so nothing is voided before the writer decides, and a committer that
 * re-commits the restored committables first, or after, does the same commit once. A fresh job
 * (no state) aborts whatever an earlier job left uncommitted. Rescaling the sink from a checkpoint
 * taken mid-stream is not supported for buckets that change subtask with uncommitted writes (their
 * restore point may land in another subtask's state; the committer then fails loudly); a savepoint
 * taken by stop-with-savepoint commits everything and rescales freely.
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
public final class FloeSink implements Sink<RowData>, SupportsCommitter<FloeCommittable>,
        SupportsWriterState<RowData, FloeCommittable> {
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
        return new FloeSinkWriter(spec, batch, List.of());
    }

    @Override
    public StatefulSinkWriter<RowData, FloeCommittable> restoreWriter(WriterInitContext context, Collection<FloeCommittable> recoveredState) {
        return new FloeSinkWriter(spec, batch, recoveredState);
    }

    /** The writer state is the list of each bucket's restore point, written as committables are. */
    @Override
    public SimpleVersionedSerializer<FloeCommittable> getWriterStateSerializer() {
        return new FloeCommittable.Serializer();
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
