package io.floe.common.key;

import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.testing.GoldenFile;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
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

    private static Object parse(ColumnType type, String text) {
        if (text.equals("null")) {
            return null;
        }
        return switch (type.root()) {
            case BOOLEAN -> Boolean.parseBoolean(text);
            case INT -> Integer.parseInt(text);
            case BIGINT -> Long.parseLong(text);
            case FLOAT -> Float.parseFloat(text);
            case DOUBLE -> Double.parseDouble(text);
            case DECIMAL -> new BigDecimal(text);
            case DATE -> LocalDate.parse(text);
            case TIMESTAMP -> LocalDateTime.parse(text);
            // Strings are written as Java-escaped text: \0 is a zero byte.
            case STRING -> text.equals("''") ? "" : text.replace("\\0", "\0");
            case BYTES -> HexFormat.of().parseHex(text.equals("''") ? "" : text);
        };
    }
}
