package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.CorruptionException;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.common.testing.Seeds;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Column batches exported to Arrow equal the model, zero-copy (all rows kept) and copied (filtered); nothing leaks. */
class ArrowExportTest {
    static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("b", "BOOLEAN").column("i", "INT").column("f", "FLOAT")
            .column("d", "DOUBLE").column("dc", "DECIMAL(12, 3)").column("dw", "DECIMAL(30, 5)").column("day", "DATE").column("t3", "TIMESTAMP(3)")
            .column("t9", "TIMESTAMP(9)").column("s", "STRING").column("y", "BYTES").column("n", "BIGINT").primaryKey("id").build();

    @TempDir
    Path dir;

    @Test
    void exportedBatchesEqualTheModel() {
        SplittableRandom r = Seeds.random("ArrowExportTest.exportedBatchesEqualTheModel");
        OffHeapAllocator allocator = new OffHeapAllocator("arrow", Long.MAX_VALUE);
        List<Entry> entries = TestData.randomEntries(r, SCHEMA, 3000, allocator);
        Path path = dir.resolve("a.sst");
        TestData.write(path, SCHEMA, SstOptions.defaults().withPage(4096, 500).withCodec(Codec.LZ4), entries, allocator);
        List<String> names = new ArrayList<>(List.of(SstOptions.KEY_NAME, SstOptions.SEQ_NAME, SstOptions.KIND_NAME));
        SCHEMA.columns().forEach(c -> names.add(c.name()));
        for (Predicate filter : Arrays.asList(null, Predicate.gt("i", 0))) {
            List<Object[]> expected = new ArrayList<>();
            for (Entry e : entries) {
                if (filter == null || Models.matches(filter, SCHEMA, e)) {
                    List<Object> row = new ArrayList<>(List.of(e.key(), e.seq(), (int) e.kind().value()));
                    row.addAll(Arrays.asList(e.values()));
                    expected.add(row.toArray());
                }
            }
            List<Object[]> actual = new ArrayList<>();
            try (RootAllocator arrow = new RootAllocator(); SstReader reader = SstReader.open(path, allocator);
                 SstScan scan = reader.scan(new ScanSpec(names, filter, null, null))) {
                while (scan.next()) {
                    try (VectorSchemaRoot root = ArrowExport.export(scan.batch(), arrow)) {
                        for (int row = 0; row < root.getRowCount(); row++) {
                            Object[] values = new Object[names.size()];
                            for (int c = 0; c < names.size(); c++) {
                                values[c] = fromArrow(root.getVector(c), c < 3 ? null : SCHEMA.column(c - 3).type().root(), row, c);
                            }
                            actual.add(values);
                        }
                    }
                }
            }
            assertThat(actual).usingElementComparator((a, b) -> Arrays.deepEquals(a, b) ? 0 : 1).containsExactlyElementsOf(expected);
        }
        allocator.assertNoLeaks();
    }

    private static Object fromArrow(FieldVector v, io.floe.common.schema.TypeRoot root, int row, int c) {
        Object o = v.getObject(row);
        if (o == null) {
            return null;
        }
        if (root == null) {
            return o;
        }
        int index = c - 3;
        return switch (root) {
            case STRING -> ((Text) o).toString();
            case DATE -> LocalDate.ofEpochDay((Integer) o);
            case DECIMAL -> ((BigDecimal) o).setScale(SCHEMA.type(index).scale());
            case TIMESTAMP -> (LocalDateTime) o;
            case BYTES -> o;
            default -> o;
        };
    }

    /**
     * A batch built from rows ({@link ColumnBatch.Builder}) exports its values; one whose TIMESTAMP(9)
     * bytes hold a nanoOfMilli no writer makes fails with a {@link CorruptionException} naming the
     * built batch and the column (it has no file or page to name), and leaks nothing.
     */
    @Test
    void aBuiltBatchExportsAndItsCorruptValueIsACorruptionError() {
        Schema schema = Schema.builder().column("id", "BIGINT NOT NULL").column("t9", "TIMESTAMP(9)").primaryKey("id").build();
        OffHeapAllocator allocator = new OffHeapAllocator("arrow", Long.MAX_VALUE);
        try (RootAllocator arrow = new RootAllocator(); RowWriter writer = new RowWriter(schema, allocator);
             ColumnBatch.Builder builder = new ColumnBatch.Builder(schema, allocator)) {
            RowReader row = new RowReader(schema);
            builder.reset();
            for (long id = 0; id < 3; id++) {
                int length = writer.reset().setLong(0, id).setTimestamp(1, 1_000 * id, 7).complete();
                builder.add(row.wrap(writer.buffer(), 0, length));
            }
            try (VectorSchemaRoot root = ArrowExport.export(builder.batch(), arrow)) {
                assertThat(root.getRowCount()).isEqualTo(3);
                assertThat(((TimeStampNanoVector) root.getVector("t9")).get(2)).isEqualTo(2_000L * 1_000_000 + 7);
            }
            int length = writer.reset().setLong(0, 9).setTimestamp(1, 0, 7).complete();
            row.wrap(writer.buffer(), 0, length);
            writer.buffer().putInt(row.varOffset(1) + 8, 1_000_000); // nanoOfMilli past 999,999
            builder.reset();
            builder.add(row.wrap(writer.buffer(), 0, length));
            assertThatThrownBy(() -> ArrowExport.export(builder.batch(), arrow).close()).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(ArrowExport.BUILT_BATCH).hasMessageContaining("column 't9'").hasMessageContaining("nanoOfMilli 1000000");
            assertThat(arrow.getAllocatedMemory()).isZero();
        }
        allocator.assertNoLeaks();
    }
}
