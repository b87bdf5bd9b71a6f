package io.floe.flink.source;

import io.floe.changelog.IsolationLevel;
import io.floe.flink.FloeConnectorOptions.Isolation;
import io.floe.flink.FloeStores;
import io.floe.flink.ReadSpec;
import io.floe.kernel.Snapshot;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.table.data.RowData;

/**
 * The reader of one source subtask: reads its bucket splits in turn, a batch of rows from each per
 * {@link #pollNext} call, never blocking; a bounded read with a pushed limit ends once this reader
 * emitted that many rows (Flink still applies the limit to all readers together). When no split has anything to read it returns
 * {@link InputStatus#NOTHING_AVAILABLE} and completes {@link #isAvailable()} from a timer
 * {@value #IDLE_POLL_MICROS} µs later (changelog tailers cannot notify), or as soon as splits arrive.
 *
 * <p>Threads: Flink calls every method on the subtask's task thread, which owns the split readers;
 * only the availability future is completed from the timer thread.
 */
public final class FloeSourceReader implements SourceReader<RowData, BucketSplit> {
    static final int IDLE_POLL_MICROS = 1000;
    private static final int ROWS_PER_SPLIT_AND_POLL = 512;

    private final ReadSpec spec;
    private final boolean bounded;
    private final ScanPushDown pushed;
    /** Rows this reader may still emit (bounded reads with a pushed limit), else Long.MAX_VALUE. */
    private long remaining;
    private final List<BucketSplitReader> splits = new ArrayList<>();
    private FloeStores.Lease lease;
    private IsolationLevel isolation;
    private boolean noMoreSplits;
    private CompletableFuture<Void> available = CompletableFuture.completedFuture(null);
    private ScheduledExecutorService timer;

    public FloeSourceReader(ReadSpec spec, boolean bounded, ScanPushDown pushed) {
        this.spec = spec;
        this.bounded = bounded;
        this.pushed = pushed;
        this.remaining = bounded && pushed.limit() >= 0 ? pushed.limit() : Long.MAX_VALUE;
    }

    @Override
    public void start() {
        open();
    }

    /**
     * Acquires the table on first use: from {@link #start()}, or from {@link #addSplits} when Flink
     * hands a restored reader its checkpointed splits, which it does before calling start().
     */
    private void open() {
        if (lease == null) {
            lease = spec.acquire();
            isolation = spec.config().readIsolation() == Isolation.READ_COMMITTED ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<RowData> output) {
        int emitted = 0;
        for (Iterator<BucketSplitReader> it = splits.iterator(); it.hasNext(); ) {
            BucketSplitReader split = it.next();
            if (remaining > 0) {
                int n = split.emit(output, (int) Math.min(ROWS_PER_SPLIT_AND_POLL, remaining));
                emitted += n;
                if (remaining != Long.MAX_VALUE) {
                    remaining -= n;
                }
            }
            if (split.finished() || remaining == 0) {
                split.close();
                it.remove();
            }
        }
        if (emitted > 0) {
            return InputStatus.MORE_AVAILABLE;
        }
        if (splits.isEmpty() && noMoreSplits) {
            return InputStatus.END_OF_INPUT;
        }
        if (available.isDone()) {
            available = new CompletableFuture<>();
        }
        if (!splits.isEmpty()) {
            CompletableFuture<Void> wake = available;
            timer().schedule(() -> wake.complete(null), IDLE_POLL_MICROS, TimeUnit.MICROSECONDS);
        }
        return InputStatus.NOTHING_AVAILABLE;
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "floe-source-idle-timer");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    @Override
    public List<BucketSplit> snapshotState(long checkpointId) {
        List<BucketSplit> state = new ArrayList<>(splits.size());
        for (BucketSplitReader s : splits) {
            state.add(s.split());
        }
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<BucketSplit> added) {
        open();
        for (BucketSplit s : added) {
            if (s.phase() == BucketSplit.Phase.TAIL && s.nextSeq() == BucketSplit.FROM_TIMESTAMP) {
                long from = spec.config().fromTimestamp().orElseThrow();
                s = s.nextSeq(lease.table().firstSeqCommittedFrom(s.bucket(), from));
            }
            if (s.phase() == BucketSplit.Phase.TAIL && s.nextSeq() == BucketSplit.LATEST) {
                // Resolved now, not at the first poll: a checkpoint taken before that poll must hold
                // where the split starts, or a restore would start at the end as of the restore and
                // skip what was written since the checkpoint.
                try (Snapshot now = lease.table().snapshot(isolation)) {
                    s = s.nextSeq(now.seq(s.bucket()) + 1);
                }
            }
            if (remaining > 0) { // a reader that reached its limit reads nothing more
                splits.add(new BucketSplitReader(lease.table(), s, bounded, isolation, pushed));
            }
        }
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (BucketSplitReader s : splits) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        splits.clear();
        if (timer != null) {
            timer.shutdownNow();
        }
        if (lease != null) {
            lease.close();
            lease = null;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
