package io.floe.common.row;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.CorruptionException;
import io.floe.common.error.SchemaMismatchException;
import io.floe.common.error.ValueOutOfRangeException;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.common.testing.RandomValues;
import io.floe.common.testing.Seeds;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RowRoundTripModelTest {
    private final OffHeapAllocator allocator = new OffHeapAllocator("test", 1 << 26);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    @Test
    void randomRowsReadBackAsWritten() {
        SplittableRandom r = Seeds.random("RowRoundTripModelTest.randomRowsReadBackAsWritten");
        for (int round = 0; round < 300; round++) {
            Schema schema = RandomValues.schema(r, 70); // past 64 columns the bitmap takes two words
            try (RowWriter writer = new RowWriter(schema, allocator); RowWriter copier = new RowWriter(schema, allocator)) {
                RowReader reader = new RowReader(schema);
                RowReader copyReader = new RowReader(schema);
                for (int row = 0; row < 20; row++) {
                    Object[] values = new Object[schema.columnCount()];
                    writer.reset();
                    // Set columns in a random order: the variable section must not depend on it.
                    int[] order = r.ints(0, schema.columnCount()).distinct().limit(schema.columnCount()).toArray();
                    for (int c : order) {
                        values[c] = RandomValues.value(schema.type(c), r);
                        writer.setObject(c, values[c]);
                    }
                    int length = writer.complete();
                    // Copy to a heap buffer at an odd offset: the reader works on any buffer.
                    byte[] copy = new byte[length + 3];
                    writer.buffer().getBytes(0, copy, 3, length);
                    reader.wrap(new UnsafeBuffer(copy), 3, length);
                    for (int c = 0; c < values.length; c++) {
                        Object read = reader.getObject(c);
                        assertThat(RandomValues.same(read, normalize(values[c])) || bothNaN(read, values[c]))
                                .as("column %d of %s: wrote %s, read %s", c, schema.column(c), values[c], read).isTrue();
                    }
                    // Column by column into another row (setFrom, no boxing), in another random order.
                    copier.reset();
                    int[] copyOrder = r.ints(0, schema.columnCount()).distinct().limit(schema.columnCount()).toArray();
                    for (int c : copyOrder) {
                        copier.setFrom(c, reader, c);
                    }
                    copyReader.wrap(copier.buffer(), 0, copier.complete());
                    for (int c = 0; c < values.length; c++) {
                        Object read = copyReader.getObject(c);
                        assertThat(RandomValues.same(read, normalize(values[c])) || bothNaN(read, values[c]))
                                .as("copied column %d of %s: wrote %s, read %s", c, schema.column(c), values[c], read).isTrue();
                    }
                }
            }
        }
    }

    private static Object normalize(Object v) {
        if (v instanceof BigDecimal d) {
            return d; // RandomValues makes decimals at the column's scale already
        }
        return v;
    }

    private static boolean bothNaN(Object a, Object b) {
        return (a instanceof Float x && x.isNaN() && b instanceof Float y && y.isNaN()) || (a instanceof Double p && p.isNaN() && b instanceof Double q && q.isNaN());
    }

    @Test
    void valuesThatDoNotFitAreRejectedByName() {
        Schema schema = Schema.builder().column("id", "BIGINT NOT NULL").column("price", "DECIMAL(5, 2)").column("ts", "TIMESTAMP(0)").primaryKey("id").build();
        try (RowWriter writer = new RowWriter(schema, allocator)) {
            assertThatThrownBy(() -> writer.reset().setDecimal(1, new BigDecimal("1234.5")))
                    .isInstanceOf(ValueOutOfRangeException.class).hasMessageContaining("'price'").hasMessageContaining("DECIMAL(5, 2)");
            assertThatThrownBy(() -> writer.reset().setDecimalUnscaled(1, 100_000))
                    .isInstanceOf(ValueOutOfRangeException.class).hasMessageContaining("'price'");
            assertThatThrownBy(() -> writer.reset().setDecimal(1, BigDecimal.ONE).complete())
                    .isInstanceOf(ValueOutOfRangeException.class).hasMessageContaining("'id' is NOT NULL");
            assertThatThrownBy(() -> writer.reset().setObject(0, "seven"))
                    .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'id' is BIGINT NOT NULL");
            assertThatThrownBy(() -> writer.reset().setInt(0, 7))
                    .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("not INT");
            // Rounding half up to the scale, truncation to the timestamp precision.
            writer.reset().setLong(0, 1).setDecimal(1, new BigDecimal("1.005")).setTimestamp(2, LocalDateTime.parse("2026-11-24T10:11:12.999"));
            RowReader reader = new RowReader(schema).wrap(writer.buffer(), 0, writer.complete());
            assertThat(reader.getDecimal(1)).isEqualByComparingTo("1.01");
            assertThat(reader.getTimestamp(2)).isEqualTo(LocalDateTime.parse("2026-11-24T10:11:12"));
            assertThat(reader.getTimestamp(2).getYear()).isEqualTo(2026);
        }
    }

    @Test
    void corruptReferencesAreCorruptionNeverAWildRead() {
        Schema schema = Schema.builder().column("id", "INT NOT NULL").column("name", "STRING").primaryKey("id").build();
        try (RowWriter writer = new RowWriter(schema, allocator)) {
            writer.reset().setInt(0, 1).setString(1, "hello");
            byte[] row = writer.toByteArray();
            RowReader reader = new RowReader(schema).source("file-7.sst");
            // The slot of column 1 holds (offset << 32) | length; point it past the row.
            UnsafeBuffer bad = new UnsafeBuffer(row.clone());
            bad.putLong(BinaryRowLayout.slotOffset(2, 1), BinaryRowLayout.varReference(row.length - 2, 5));
            reader.wrap(bad, 0, row.length);
            assertThatThrownBy(() -> reader.getString(1)).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("file-7.sst").hasMessageContaining("column 'name'").hasMessageContaining("outside the row");
            bad.putLong(BinaryRowLayout.slotOffset(2, 1), BinaryRowLayout.varReference(1, 5));
            assertThatThrownBy(() -> reader.getString(1)).isInstanceOf(CorruptionException.class);
            assertThatThrownBy(() -> reader.wrap(bad, 0, 3)).isInstanceOf(CorruptionException.class).hasMessageContaining("shorter than");
            assertThatThrownBy(() -> reader.wrap(bad, 10, row.length)).isInstanceOf(CorruptionException.class);
        }
    }
}
