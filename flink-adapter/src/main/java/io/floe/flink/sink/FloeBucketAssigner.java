package io.floe.flink.sink;

import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.flink.ReadSpec;
import io.floe.flink.RowDataWriter;
import io.floe.kernel.Floe;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.util.Collector;

/**
 * Appends each row's Floe bucket (the hash of its memcomparable primary key, as the kernel routes
 * it: {@link Floe#bucketOf}) as a last INT field, so that the sink can send every bucket to one
 * writer subtask.
 *
 * <p>Threads: single owner, the subtask's thread. Memory: a row and a key buffer from its own
 * allocator, opened by {@link #open} and freed by {@link #close}.
 */
final class FloeBucketAssigner extends RichFlatMapFunction<RowData, RowData> {
    private static final long serialVersionUID = 1L;

    private final ReadSpec spec;
    private final int buckets;
    private transient RowDataWriter converter;
    private transient OffHeapAllocator allocator;
    private transient RowWriter row;
    private transient RowReader reader;
    private transient KeyEncoder keys;
    private transient GrowableBuffer key;

    FloeBucketAssigner(ReadSpec spec, int buckets) {
        this.spec = spec;
        this.buckets = buckets;
    }

    @Override
    public void open(OpenContext context) {
        Schema schema = spec.schema();
        converter = new RowDataWriter(schema);
        allocator = new OffHeapAllocator("floe bucket assigner of " + spec.flinkTableName(), 64L << 20);
        row = new RowWriter(schema, allocator);
        reader = new RowReader(schema).source("row routed to Floe table " + spec.flinkTableName());
        keys = new KeyEncoder(schema);
        key = new GrowableBuffer(allocator, MemoryPurpose.ROW, 64);
    }

    @Override
    public void flatMap(RowData input, Collector<RowData> out) {
        int length = converter.write(input, row);
        int keyLength = keys.encode(reader.wrap(row.buffer(), 0, length), key);
        int bucket = Floe.bucketOf(key.buffer(), 0, keyLength, buckets);
        out.collect(new JoinedRowData(input.getRowKind(), input, GenericRowData.of(bucket)));
    }

    @Override
    public void close() {
        if (allocator != null) {
            key.close();
            row.close();
            allocator.close();
            allocator = null;
        }
    }
}
