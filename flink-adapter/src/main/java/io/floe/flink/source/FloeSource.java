package io.floe.flink.source;

import io.floe.flink.ConnectorConfig;
import io.floe.flink.ReadSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.table.data.RowData;

/**
 * The FLIP-27 source of a Floe table: one split per bucket ({@link FloeSplitEnumerator}), read by
 * {@link FloeSourceReader}s. Bounded: each bucket's snapshot. Unbounded, per 'scan.mode':
 * {@code full} (snapshot, then the changelog from right after it), {@code latest} (the changelog
 * from its end when the reader opens the split), {@code from-seq} (the changelog from
 * 'scan.from-seq' in every bucket) or {@code from-timestamp} (in every bucket, the changelog from
 * the first change committed at or after 'scan.from-timestamp', as the kernel's commit-time log
 * dates changes: {@code Table.firstSeqCommittedFrom}). Immutable and serializable.
 */
public final class FloeSource implements Source<RowData, BucketSplit, List<BucketSplit>> {
    private static final long serialVersionUID = 1L;
    private final ReadSpec spec;
    private final boolean bounded;
    private final ScanPushDown pushed;

    /** Requires: {@code spec}'s options were validated. */
    public FloeSource(ReadSpec spec, boolean bounded, ScanPushDown pushed) {
        this.spec = spec;
        this.bounded = bounded;
        this.pushed = pushed;
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RowData, BucketSplit> createReader(SourceReaderContext context) {
        return new FloeSourceReader(spec, bounded, pushed);
    }

    @Override
    public SplitEnumerator<BucketSplit, List<BucketSplit>> createEnumerator(SplitEnumeratorContext<BucketSplit> context) {
        return new FloeSplitEnumerator(context, initialSplits(spec.config(), bounded), bounded);
    }

    /** Returns the splits a new read starts with: one per bucket. */
    static List<BucketSplit> initialSplits(ConnectorConfig config, boolean bounded) {
        List<BucketSplit> splits = new ArrayList<>();
        for (int b = 0; b < config.tableOptions().buckets(); b++) {
            splits.add(bounded ? BucketSplit.unstarted(b) : switch (config.scanMode()) {
                case FULL -> BucketSplit.unstarted(b);
                case LATEST -> BucketSplit.tail(b, BucketSplit.LATEST);
                case FROM_SEQ -> BucketSplit.tail(b, config.fromSeq().getAsLong());
                case FROM_TIMESTAMP -> BucketSplit.tail(b, BucketSplit.FROM_TIMESTAMP);
            });
        }
        return splits;
    }

    @Override
    public SplitEnumerator<BucketSplit, List<BucketSplit>> restoreEnumerator(SplitEnumeratorContext<BucketSplit> context,
                                                                           List<BucketSplit> checkpoint) {
        return new FloeSplitEnumerator(context, checkpoint, bounded);
    }

    @Override
    public SimpleVersionedSerializer<BucketSplit> getSplitSerializer() {
        return BucketSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<BucketSplit>> getEnumeratorCheckpointSerializer() {
        return new EnumeratorStateSerializer();
    }
}
