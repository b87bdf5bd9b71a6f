package io.floe.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.SchemaMismatchException;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.common.testing.RandomValues;
import io.floe.common.testing.Seeds;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Flink rows survive the trip into Floe's binary row and back, field for field, for every type. */
class RowConversionModelTest {
    private final OffHeapAllocator allocator = new OffHeapAllocator("test", 1 << 24);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    @Test
    void randomRowsRoundTrip() {
        SplittableRandom r = Seeds.random("RowConversionModelTest.randomRowsRoundTrip");
        for (int round = 0; round < 200; round++) {
            Schema schema = RandomValues.schema(r, 12);
            LogicalType[] flinkTypes = new LogicalType[schema.columnCount()];
            for (int c = 0; c < flinkTypes.length; c++) {
                flinkTypes[c] = FlinkSchemas.toFlink(schema.type(c)).getLogicalType();
                assertThat(FlinkSchemas.toFloe(flinkTypes[c], "t", "c")).isEqualTo(schema.type(c));
            }
            RowDataWriter writer = new RowDataWriter(schema);
            FloeRowData view = new FloeRowData(schema);
            try (RowWriter out = new RowWriter(schema, allocator)) {
                for (int i = 0; i < 20; i++) {
                    GenericRowData in = new GenericRowData(RowKind.UPDATE_AFTER, schema.columnCount());
                    for (int c = 0; c < flinkTypes.length; c++) {
                        in.setField(c, toFlink(RandomValues.value(schema.type(c), r)));
                    }
                    int length = writer.write(in, out);
                    view.wrap(new RowReader(schema).wrap(out.buffer(), 0, length), RowKind.UPDATE_AFTER);
                    for (int c = 0; c < flinkTypes.length; c++) {
                        RowData.FieldGetter getter = RowData.createFieldGetter(flinkTypes[c], c);
                        Object expected = getter.getFieldOrNull(in);
                        Object actual = getter.getFieldOrNull(view);
                        if (expected instanceof byte[] e) {
                            assertThat((byte[]) actual).isEqualTo(e);
                        } else if (expected instanceof Float f && f.isNaN()) {
                            assertThat((Float) actual).isNaN();
                        } else if (expected instanceof Double d && d.isNaN()) {
                            assertThat((Double) actual).isNaN();
                        } else {
                            assertThat(actual).as("column %d %s", c, schema.column(c)).isEqualTo(expected);
                        }
                    }
                    assertThat(view.getRowKind()).isEqualTo(RowKind.UPDATE_AFTER);
                }
            }
        }
    }

    private static Object toFlink(Object v) {
        if (v instanceof String s) {
            return StringData.fromString(s);
        }
        if (v instanceof BigDecimal d) {
            return DecimalData.fromBigDecimal(d, 38, d.scale()); // the widest precision holds every test value
        }
        if (v instanceof LocalDate d) {
            return (int) d.toEpochDay();
        }
        if (v instanceof LocalDateTime t) {
            return TimestampData.fromLocalDateTime(t);
        }
        return v;
    }

    @Test
    void unsupportedTypesAndMissingKeysSayWhatToChange() {
        ResolvedSchema noKey = ResolvedSchema.of(Column.physical("id", DataTypes.BIGINT().notNull()));
        assertThatThrownBy(() -> FlinkSchemas.toFloe(noKey, "orders")).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("'orders' has no primary key").hasMessageContaining("PRIMARY KEY (col, ...) NOT ENFORCED");
        ResolvedSchema withMap = new ResolvedSchema(
                List.of(Column.physical("id", DataTypes.BIGINT().notNull()), Column.physical("tags", DataTypes.MAP(DataTypes.STRING(), DataTypes.INT()))),
                List.of(), UniqueConstraint.primaryKey("pk", List.of("id")), List.of());
        assertThatThrownBy(() -> FlinkSchemas.toFloe(withMap, "orders")).isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("column 'tags'").hasMessageContaining("MAP<STRING, INT>").hasMessageContaining("use one of");
        assertThatThrownBy(() -> FlinkSchemas.toFloe(DataTypes.SMALLINT().getLogicalType(), "t", "qty")).hasMessageContaining("(INT instead)");
        assertThatThrownBy(() -> FlinkSchemas.toFloe(DataTypes.TIMESTAMP_LTZ(3).getLogicalType(), "t", "ts")).hasMessageContaining("TIMESTAMP_LTZ");

        Schema stored = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "STRING").primaryKey("id").build();
        Schema declared = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "INT").primaryKey("id").build();
        assertThatThrownBy(() -> FlinkSchemas.checkSameAsStored(declared, stored, "t", "/data/t"))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("column 2: declared v INT, stored v STRING")
                .hasMessageContaining("/data/t");
        FlinkSchemas.checkSameAsStored(stored, stored, "t", "/data/t");
    }
}
