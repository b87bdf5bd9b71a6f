package io.floe.flink.sink;

import io.floe.common.error.FloeException;
import io.floe.flink.FloeStores;
import io.floe.flink.ReadSpec;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;

/**
 * Publishes prepared writes once Flink has completed the checkpoint they belong to (Flink calls
 * {@link #commit} from {@code notifyCheckpointComplete}, and again after a restore for the
 * committables of the restored checkpoint; at end of input for the last ones). Each committable
 * becomes {@code Table.commit(bucket, seq, seq)}, idempotent: committing it twice, or after a newer
 * one, does nothing.
 *
 * <p>Threads: single owner, the committer subtask's thread; holds a lease of the table until closed.
 */
final class FloeSinkCommitter implements Committer<FloeCommittable> {
    private final String table;
    private final FloeStores.Lease lease;

    FloeSinkCommitter(ReadSpec spec) {
        this.table = spec.flinkTableName();
        this.lease = spec.acquire();
    }

    /**
     * Commits every request. Throws {@link FloeException} (failing the job) if the kernel did not
     * publish a committable's seq: its writes were aborted by a restart before the commit, or another
     * writer committed the bucket under a larger id.
     */
    @Override
    public void commit(Collection<CommitRequest<FloeCommittable>> requests) {
        for (CommitRequest<FloeCommittable> request : requests) {
            FloeCommittable c = request.getCommittable();
            long committed;
            try {
                committed = lease.table().commit(c.bucket(), c.seq(), c.seq());
            } catch (IllegalArgumentException e) {
                throw lost(c, e.getMessage(), e);
            }
            if (committed < c.seq()) {
                throw lost(c, "the bucket's committed seq stays at " + committed
                        + " (its last commit id is larger: was the bucket committed by another writer than this sink?)", null);
            }
        }
    }

    private FloeException lost(FloeCommittable c, String why, Throwable cause) {
        String message = "cannot commit bucket " + c.bucket() + " of Floe table '" + table + "' up to seq " + c.seq()
                + " for a completed checkpoint: " + why + ". These writes are not in the table; a table must be written only by one "
                + "Floe sink at a time, and a sink restored with a different parallelism from a mid-stream checkpoint may find "
                + "a bucket's restore point in another subtask's state (stop with a savepoint to rescale)";
        return cause == null ? new FloeException(message) : new FloeException(message, cause);
    }

    @Override
    public void close() {
        lease.close();
    }
}
