package io.floe.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.flink.FloeStores;
import io.floe.flink.ReadSpec;
import io.floe.kernel.BucketWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 'latest' split checkpointed before its reader ever polled it: the checkpoint must hold where
 * the split starts (the changelog's end when the reader was given it), so that a restore reads every
 * change written since, not only those after the restore. Driven the way Flink drives a source
 * reader, without a cluster.
 */
class LatestSplitRestoreTest {
    private static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").primaryKey("id").build();

    @TempDir
    Path dir;

    @AfterEach
    void noStoreLeftOpen() {
        assertThat(FloeStores.openStores()).isZero();
    }

    @Test
    void aLatestSplitCheckpointedBeforeItsFirstPollRestoresWhereItStarted() throws Exception {
        ReadSpec spec = ReadSpec.of(Map.of("path", dir.toString(), "bucket", "1", "scan.mode", "latest"), "t", SCHEMA);
        write(spec, 0, 100, 1); // before the job: not read by a 'latest' read
        List<BucketSplit> state;
        FloeSourceReader first = new FloeSourceReader(spec, false, ScanPushDown.NONE);
        try {
            first.start();
            first.addSplits(List.of(BucketSplit.tail(0, BucketSplit.LATEST)));
            state = first.snapshotState(1); // the checkpoint, before any poll
        } finally {
            first.close();
        }
        assertThat(state).hasSize(1);
        assertThat(state.get(0).nextSeq()).as("a checkpointed split holds a position, not the 'latest' marker").isEqualTo(101);

        write(spec, 100, 150, 2); // after the checkpoint, before the restore
        FloeSourceReader restored = new FloeSourceReader(spec, false, ScanPushDown.NONE);
        List<Long> ids = new ArrayList<>();
        try {
            restored.addSplits(state);
            restored.start();
            Collect out = new Collect(ids);
            for (int polls = 0; polls < 1_000 && ids.size() < 50; polls++) {
                restored.pollNext(out);
                if (ids.size() < 50) {
                    Thread.sleep(2);
                }
            }
        } finally {
            restored.close();
        }
        List<Long> expected = new ArrayList<>();
        for (long id = 100; id < 150; id++) {
            expected.add(id);
        }
        assertThat(ids).as("every change written after the checkpoint, once").isEqualTo(expected);
    }

    /** Writes and commits ids {@code [from, to)} through the store the reader opens. */
    private static void write(ReadSpec spec, long from, long to, long checkpoint) {
        try (FloeStores.Lease lease = spec.acquire();
             OffHeapAllocator allocator = new OffHeapAllocator("test", Long.MAX_VALUE);
             RowWriter row = new RowWriter(SCHEMA, allocator)) {
            BucketWriter writer = lease.table().writer(0);
            try {
                for (long id = from; id < to; id++) {
                    int length = row.reset().setLong(0, id).setLong(1, id * 10).complete();
                    writer.upsert(row.buffer(), 0, length);
                }
                writer.commit(checkpoint);
            } finally {
                writer.close();
            }
        }
    }

    /** Collects the id column of every emitted row. */
    private record Collect(List<Long> ids) implements ReaderOutput<RowData> {
        @Override
        public void collect(RowData record) {
            ids.add(record.getLong(0));
        }

        @Override
        public void collect(RowData record, long timestamp) {
            collect(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {
        }

        @Override
        public void markIdle() {
        }

        @Override
        public void markActive() {
        }

        @Override
        public SourceOutput<RowData> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {
        }
    }
}
