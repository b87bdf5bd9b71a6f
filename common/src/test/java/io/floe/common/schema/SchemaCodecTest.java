package io.floe.common.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.CorruptionException;
import io.floe.common.error.InvalidOptionException;
import io.floe.common.error.SchemaMismatchException;
import io.floe.common.testing.RandomValues;
import io.floe.common.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchemaCodecTest {
    @Test
    void randomSchemasRoundTrip() {
        SplittableRandom r = Seeds.random("SchemaCodecTest.randomSchemasRoundTrip");
        for (int i = 0; i < 500; i++) {
            Schema schema = RandomValues.schema(r, 12);
            assertThat(SchemaCodec.fromBytes(SchemaCodec.toBytes(schema), "schema")).isEqualTo(schema);
        }
    }

    @Test
    void oddNamesRoundTrip() {
        Schema schema = Schema.builder().column("order id", "BIGINT NOT NULL").column("a`b", "STRING").column("ü, x", "DECIMAL(38, 10)")
                .primaryKey("ü, x", "order id").build();
        String text = SchemaCodec.toText(schema);
        assertThat(text).contains("column `a``b` STRING").contains("primary-key `ü, x`, `order id`");
        assertThat(SchemaCodec.fromBytes(text.getBytes(StandardCharsets.UTF_8), "schema")).isEqualTo(schema);
    }

    @Test
    void everyFlippedByteIsDetected() {
        Schema schema = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "TIMESTAMP(6)").primaryKey("id").build();
        byte[] bytes = SchemaCodec.toBytes(schema);
        for (int i = 0; i < bytes.length; i++) {
            byte[] damaged = bytes.clone();
            damaged[i] ^= 0x04;
            try {
                Schema read = SchemaCodec.fromBytes(damaged, "t/schema");
                // Only a flip that the text form cannot tell apart (none expected) may read back, and then equal.
                assertThat(read).as("flip at %d", i).isEqualTo(schema);
            } catch (CorruptionException e) {
                assertThat(e.file()).isEqualTo("t/schema");
            }
        }
        for (int len = 0; len < bytes.length - 1; len++) {
            byte[] truncated = java.util.Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> SchemaCodec.fromBytes(truncated, "t/schema")).isInstanceOf(CorruptionException.class);
        }
    }

    @Test
    void badSchemasNameWhatIsWrong() {
        assertThatThrownBy(() -> Schema.builder().column("a", "INT").build()).isInstanceOf(SchemaMismatchException.class).hasMessageContaining("primary key");
        assertThatThrownBy(() -> Schema.builder().column("a", "INT").primaryKey("b").build()).hasMessageContaining("'b' is not a column");
        assertThatThrownBy(() -> Schema.builder().column("a", "INT").column("a", "INT").primaryKey("a").build()).hasMessageContaining("'a' appears twice");
        assertThatThrownBy(() -> ColumnType.parse("DECIMAL(40, 2)")).isInstanceOf(InvalidOptionException.class).hasMessageContaining("1 to 38");
        assertThatThrownBy(() -> ColumnType.parse("TIMESTAMP(12)")).isInstanceOf(InvalidOptionException.class).hasMessageContaining("0 to 9");
        assertThatThrownBy(() -> ColumnType.parse("MAP<INT, INT>")).isInstanceOf(InvalidOptionException.class);
    }

    @Test
    void typesParseAsTheyPrint() {
        SplittableRandom r = Seeds.random("SchemaCodecTest.typesParseAsTheyPrint");
        for (int i = 0; i < 200; i++) {
            ColumnType type = RandomValues.type(r);
            assertThat(ColumnType.parse(type.toString())).isEqualTo(type);
        }
        assertThat(ColumnType.parse("varchar(20) not null")).isEqualTo(ColumnType.of(TypeRoot.STRING).notNull());
        assertThat(ColumnType.parse("DECIMAL")).isEqualTo(ColumnType.decimal(10, 0));
    }
}
