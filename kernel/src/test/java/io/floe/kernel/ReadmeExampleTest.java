package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.sst.ArrowExport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Using the kernel from Java" example, kept compiling and true. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeExampleWorks() {
        List<Long> scanned = new ArrayList<>();
        List<Long> tailed = new ArrayList<>();
        StringBuilder exported = new StringBuilder();
        Schema schema = Schema.builder().column("id", "BIGINT NOT NULL").column("name", "STRING").primaryKey("id").build();
        try (Floe floe = Floe.open(dir.resolve("floe-data"), FloeOptions.defaults());
             OffHeapAllocator rows = new OffHeapAllocator("my rows", 64 << 20);
             RowWriter row = new RowWriter(schema, rows)) {
            Table t = floe.table("users", schema, TableOptions.defaults().withBuckets(4));
            row.reset().setLong(0, 42).setString(1, "ada");
            int length = row.complete();
            int bucket = t.bucketOf(new RowReader(schema).wrap(row.buffer(), 0, length));
            try (BucketWriter w = t.writer(bucket)) {
                w.upsert(row.buffer(), 0, length);
                w.commit(1);
            }
            try (Snapshot s = t.snapshot(IsolationLevel.READ_COMMITTED); RowScan scan = s.scan(bucket, ScanOptions.all())) {
                while (scan.next()) {
                    scanned.add(scan.row().getLong(0));
                }
            }
            try (Snapshot s = t.snapshot(IsolationLevel.READ_COMMITTED); BatchScan batches = s.scanBatches(bucket, ScanOptions.all());
                 BufferAllocator arrow = new RootAllocator()) {
                while (batches.next()) {
                    try (VectorSchemaRoot root = ArrowExport.export(batches.batch(), arrow)) {
                        exported.append(root.contentToTSVString());
                    }
                }
            }
            try (ChangelogTailer tail = t.tail(bucket, 0, IsolationLevel.READ_COMMITTED)) {
                for (ChangelogRecord r = tail.poll(); r != null; r = tail.poll()) {
                    tailed.add(r.seq());
                }
            }
        }
        assertThat(scanned).containsExactly(42L);
        assertThat(tailed).containsExactly(1L);
        assertThat(exported.toString()).isEqualTo("id\tname\n42\tada\n");
    }
}
