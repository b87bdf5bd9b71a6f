package io.floe.common.key;

import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.testing.GoldenFile;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The key encoding is an on-disk format: these golden cases pin it byte by byte
 * (testdata/key_encoding.txt; {@code encode TYPE}, one value per input line, the hex per output line).
 */
class KeyEncodingGoldenTest {
    @Test
    void encodings() {
        try (OffHeapAllocator allocator = new OffHeapAllocator("golden", 1 << 20)) {
            GoldenFile.run("key_encoding.txt", c -> {
                ColumnType type = ColumnType.parse(c.command().substring("encode ".length()));
                Schema schema = Schema.builder().column("k", type).primaryKey("k").build();
                KeyEncoder encoder = new KeyEncoder(schema);
                StringBuilder out = new StringBuilder();
                try (RowWriter writer = new RowWriter(schema, allocator);
                     GrowableBuffer key = new GrowableBuffer(allocator, MemoryPurpose.ROW, 8)) {
                    for (String text : c.input()) {
                        int n = encoder.encodeValues(new Object[] {parse(type, text)}, writer, key);
                        byte[] bytes = new byte[n];
                        key.buffer().getBytes(0, bytes);
                        out.append(HexFormat.of().formatHex(bytes)).append('\n');
                    }
                }
                return out.toString();
            });
        }
    }

    /** The golden file's text: ValueText, with '' for an empty string or byte array and \\0 for a zero byte. */
    private static Object parse(ColumnType type, String text) {
        String t = text.equals("''") ? "" : type.root() == io.floe.common.schema.TypeRoot.STRING ? text.replace("\\0", "\0") : text;
        return io.floe.common.schema.ValueText.parse(type, "golden value", t);
    }
}
