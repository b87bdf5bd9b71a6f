package io.floe.flink.sink;

import io.floe.flink.ReadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.Partitioner;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.sink.DataStreamSinkProvider;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.RowType;

/**
 * A Floe table as a Flink sink: upserts and deletes by primary key, exactly once (see
 * {@link FloeSink}). The plan it adds: a bucket assigner chained to the input (appends each row's
 * bucket), a custom partitioning that sends bucket {@code b} to writer subtask {@code b % parallelism}
 * (so every bucket has exactly one writer in the job), then the writers and their committer.
 *
 * <p>Changelog: upsert mode keyed by the table's primary key: +I and +U write the key's row, -D (and
 * a -U, which the planner sends when a row leaves the result) deletes it.
 */
public final class FloeDynamicTableSink implements DynamicTableSink {
    private final ReadSpec spec;
    private final int buckets;
    private final RowType physical;
    private final boolean batch;
    /** 'sink.parallelism', or null: the input's. */
    private final Integer parallelism;

    /** Requires: {@code parallelism} is null or positive. */
    public FloeDynamicTableSink(ReadSpec spec, int buckets, RowType physical, boolean batch, Integer parallelism) {
        this.spec = spec;
        this.batch = batch;
        this.buckets = buckets;
        this.physical = physical;
        this.parallelism = parallelism;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requested) {
        // An insert-only input stays insert-only: every row is written (what merge engines such as
        // aggregation need), and the planner adds no upsert materialization.
        return requested.containsOnly(org.apache.flink.types.RowKind.INSERT) ? ChangelogMode.insertOnly() : ChangelogMode.upsert();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        List<RowType.RowField> fields = new ArrayList<>(physical.getFields());
        fields.add(new RowType.RowField("$floe_bucket", new IntType(false)));
        RowType routed = new RowType(false, fields);
        int bucketField = physical.getFieldCount();
        TypeInformation<RowData> routedType = context.createTypeInformation(routed);
        ReadSpec spec = this.spec;
        int buckets = this.buckets;
        boolean batch = this.batch;
        Integer parallelism = this.parallelism;
        return new DataStreamSinkProvider() {
            @Override
            public Optional<Integer> getParallelism() {
                // Declared to the planner too: for an input with updates it then shuffles the rows by
                // primary key to this parallelism before handing them over (every key on one path, in order).
                return Optional.ofNullable(parallelism);
            }

            @Override
            public DataStreamSink<?> consumeDataStream(ProviderContext provider, DataStream<RowData> input) {
                // The assigner runs at the input's parallelism so that it chains to it: at another
                // parallelism the edge would rebalance, and two changes of one key could reach their
                // bucket's writer through different subtasks, out of order (a -D before its +I is lost).
                SingleOutputStreamOperator<RowData> assigned = input.flatMap(new FloeBucketAssigner(spec, buckets))
                        .setParallelism(input.getParallelism())
                        .returns(routedType).name("Floe bucket of " + spec.flinkTableName());
                provider.generateUid("floe-bucket-assigner").ifPresent(assigned::uid);
                DataStreamSink<RowData> sink = assigned.partitionCustom(new ByBucket(), new BucketField(bucketField))
                        .sinkTo(new FloeSink(spec, batch)).name("Floe sink " + spec.flinkTableName());
                if (parallelism != null) {
                    sink.setParallelism(parallelism);
                }
                provider.generateUid("floe-sink").ifPresent(sink::uid);
                return sink;
            }
        };
    }

    /** Sends bucket {@code b} to channel {@code b % channels}. */
    private static final class ByBucket implements Partitioner<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public int partition(Integer bucket, int channels) {
            return bucket % channels;
        }
    }

    /** The bucket a {@link FloeBucketAssigner} appended. */
    private static final class BucketField implements KeySelector<RowData, Integer> {
        private static final long serialVersionUID = 1L;
        private final int field;

        BucketField(int field) {
            this.field = field;
        }

        @Override
        public Integer getKey(RowData row) {
            return row.getInt(field);
        }
    }

    @Override
    public DynamicTableSink copy() {
        return new FloeDynamicTableSink(spec, buckets, physical, batch, parallelism);
    }

    @Override
    public String asSummaryString() {
        return "Floe(" + spec.flinkTableName() + ")";
    }
}
