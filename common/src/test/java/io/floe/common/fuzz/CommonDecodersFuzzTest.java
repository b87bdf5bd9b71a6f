package io.floe.common.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.floe.common.error.CorruptionException;
import io.floe.common.key.KeyEncoder;
import io.floe.common.row.RowReader;
import io.floe.common.schema.Schema;
import io.floe.common.schema.SchemaCodec;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fuzz targets for every decoder in common that reads bytes from a file: whatever the bytes, each
 * either decodes or throws {@link CorruptionException}; any other exception (or a JVM crash) is a
 * finding. In the default build the saved inputs under
 * {@code src/test/resources/io/floe/common/fuzz/CommonDecodersFuzzTestInputs/} run as regression
 * tests; {@code mvn -Pfuzz -pl common test -Dtest='CommonDecodersFuzzTest#rowReader'} fuzzes one target.
 */
class CommonDecodersFuzzTest {
    private static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("name", "STRING").column("price", "DECIMAL(30, 4)")
            .column("ts", "TIMESTAMP(9)").column("small", "DECIMAL(9, 2)").column("day", "DATE").column("raw", "BYTES").column("ok", "BOOLEAN")
            .column("f", "FLOAT").primaryKey("name", "id").build();
    private static final KeyEncoder KEYS = new KeyEncoder(SCHEMA);

    @FuzzTest(maxDuration = "5m")
    void schemaCodec(byte[] data) {
        try {
            Schema s = SchemaCodec.fromBytes(data, "fuzz");
            // What decodes must encode back to a schema that decodes equal.
            if (!SchemaCodec.fromBytes(SchemaCodec.toBytes(s), "again").equals(s)) {
                throw new AssertionError("schema does not round-trip: " + s);
            }
        } catch (CorruptionException expected) {
            // bad bytes, named
        }
    }

    @FuzzTest(maxDuration = "5m")
    void keyDecoder(byte[] data) {
        try {
            KEYS.decode(new UnsafeBuffer(data), 0, data.length);
        } catch (CorruptionException expected) {
            // bad bytes, named
        }
    }

    @FuzzTest(maxDuration = "5m")
    void rowReader(byte[] data) {
        RowReader reader = new RowReader(SCHEMA).source("fuzz");
        try {
            reader.wrap(new UnsafeBuffer(data), 0, data.length);
            for (int c = 0; c < SCHEMA.columnCount(); c++) {
                reader.getObject(c);
            }
        } catch (CorruptionException expected) {
            // bad bytes, named
        }
    }
}
