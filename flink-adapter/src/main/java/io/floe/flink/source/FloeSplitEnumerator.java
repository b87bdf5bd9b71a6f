package io.floe.flink.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands each bucket's split to one reader: bucket {@code b} goes to subtask {@code b % parallelism},
 * so a bucket stays with the same reader across restarts of the same parallelism. Splits handed back
 * by a failed reader wait until that subtask registers again. The splits are fixed when the job
 * starts (one per bucket; a table's bucket count never changes), so the checkpointed state is just
 * the splits not yet assigned.
 *
 * <p>Threads: Flink calls every method from the enumerator's single thread.
 */
public final class FloeSplitEnumerator implements SplitEnumerator<BucketSplit, List<BucketSplit>> {
    private final SplitEnumeratorContext<BucketSplit> context;
    private final boolean bounded;
    /** Splits not yet assigned, by bucket. */
    private final Map<Integer, BucketSplit> pending = new TreeMap<>();

    public FloeSplitEnumerator(SplitEnumeratorContext<BucketSplit> context, List<BucketSplit> unassigned, boolean bounded) {
        this.context = context;
        this.bounded = bounded;
        for (BucketSplit s : unassigned) {
            pending.put(s.bucket(), s);
        }
    }

    @Override
    public void start() {
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed when a reader registers; readers need not ask.
    }

    @Override
    public void addSplitsBack(List<BucketSplit> splits, int subtaskId) {
        for (BucketSplit s : splits) {
            pending.put(s.bucket(), s);
        }
        if (context.registeredReaders().containsKey(subtaskId)) {
            assignTo(subtaskId);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignTo(subtaskId);
    }

    private void assignTo(int subtaskId) {
        int parallelism = context.currentParallelism();
        List<BucketSplit> mine = new ArrayList<>();
        pending.values().removeIf(s -> {
            if (s.bucket() % parallelism == subtaskId) {
                mine.add(s);
                return true;
            }
            return false;
        });
        for (BucketSplit s : mine) {
            context.assignSplit(s, subtaskId);
        }
        if (bounded) {
            context.signalNoMoreSplits(subtaskId);
        }
    }

    @Override
    public List<BucketSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(pending.values());
    }

    @Override
    public void close() {
    }
}
