package io.floe.common.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.error.CorruptionException;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.testing.RandomValues;
import io.floe.common.testing.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Memcomparable keys must sort exactly as their values do, and decode back to them. */
class KeyOrderModelTest {
    private final OffHeapAllocator allocator = new OffHeapAllocator("test", 1 << 26);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    record Encoded(Object[] key, byte[] bytes) {
    }

    @Test
    void theDoubleKeyOfStoredBitsIsTheDoubleKeyOfTheirValue() {
        SplittableRandom r = Seeds.random("KeyOrderModelTest.theDoubleKeyOfStoredBitsIsTheDoubleKeyOfTheirValue");
        long[] special = {0L, Long.MIN_VALUE, 0x7FF0000000000000L, 0xFFF0000000000000L, 0x7FF8000000000000L, 0x7FF0000000000001L,
            0xFFF8000000000123L, 0x7FFFFFFFFFFFFFFFL, 1L, -1L};
        for (int i = 0; i < 200_000; i++) {
            long bits = i < special.length ? special[i] : r.nextInt(4) == 0 ? (0x7FF0000000000000L | r.nextLong()) : r.nextLong(); // many NaNs and infinities
            assertThat(KeyLayout.doubleKeyOfBits(bits)).as("bits %x", bits).isEqualTo(KeyLayout.doubleKey(Double.longBitsToDouble(bits)));
        }
    }

    @Test
    void randomSchemasSortAsTheirValues() {
        SplittableRandom r = Seeds.random("KeyOrderModelTest.randomSchemasSortAsTheirValues");
        for (int round = 0; round < 300; round++) {
            Schema schema = RandomValues.schema(r, 4);
            checkOrder(schema, r, 60);
        }
    }

    @Test
    void everyTypeAloneSortsAsItsValues() {
        SplittableRandom r = Seeds.random("KeyOrderModelTest.everyTypeAloneSortsAsItsValues");
        for (int round = 0; round < 400; round++) {
            ColumnType type = RandomValues.type(r);
            Schema schema = Schema.builder().column("k", type).column("v", "INT").primaryKey("k").build();
            checkOrder(schema, r, 120);
        }
    }

    private void checkOrder(Schema schema, SplittableRandom r, int rows) {
        KeyEncoder encoder = new KeyEncoder(schema);
        List<Encoded> encoded = new ArrayList<>();
        try (RowWriter writer = new RowWriter(schema, allocator);
             GrowableBuffer key = new GrowableBuffer(allocator, MemoryPurpose.ROW, 8)) {
            RowReader reader = new RowReader(schema);
            for (int i = 0; i < rows; i++) {
                writer.reset();
                for (int c = 0; c < schema.columnCount(); c++) {
                    writer.setObject(c, RandomValues.value(schema.type(c), r));
                }
                reader.wrap(writer.buffer(), 0, writer.complete());
                int length = encoder.encode(reader, key);
                byte[] bytes = new byte[length];
                key.buffer().getBytes(0, bytes);
                Object[] values = new Object[schema.keyColumnCount()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = reader.getObject(schema.keyColumn(k));
                }
                Object[] decoded = encoder.decode(new UnsafeBuffer(bytes), 0, bytes.length);
                for (int k = 0; k < values.length; k++) {
                    assertThat(RandomValues.same(decoded[k], values[k]) || sameFloating(decoded[k], values[k]))
                            .as("decode of key column %d of %s: %s vs %s", k, schema, decoded[k], values[k]).isTrue();
                }
                encoded.add(new Encoded(values, bytes));
            }
        }
        Comparator<Object[]> valueOrder = (a, b) -> {
            for (int k = 0; k < a.length; k++) {
                int c = RandomValues.order(schema.type(schema.keyColumn(k))).compare(a[k], b[k]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        for (Encoded a : encoded) {
            for (Encoded b : encoded) {
                int byValue = Integer.signum(valueOrder.compare(a.key, b.key));
                int byBytes = Integer.signum(ByteComparisons.compare(a.bytes, b.bytes));
                assertThat(byBytes).as("schema %s: %s vs %s", schema, java.util.Arrays.deepToString(a.key), java.util.Arrays.deepToString(b.key))
                        .isEqualTo(byValue);
            }
        }
    }

    /** NaN keys decode to the one canonical NaN; -0.0 keeps its sign. */
    private static boolean sameFloating(Object a, Object b) {
        if (a instanceof Float x && b instanceof Float y) {
            return Float.compare(x, y) == 0;
        }
        return a instanceof Double x && b instanceof Double y && Double.compare(x, y) == 0;
    }

    @Test
    void malformedKeysAreCorruptionNotGarbage() {
        Schema schema = Schema.builder().column("s", "STRING NOT NULL").column("n", "BIGINT").primaryKey("s", "n").build();
        KeyEncoder encoder = new KeyEncoder(schema);
        byte[] unterminated = {'a', 'b'};
        assertThatThrownBy(() -> encoder.decode(new UnsafeBuffer(unterminated), 0, 2))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("key column 's'").hasMessageContaining("ends early");
        byte[] badEscape = {'a', 0, 7};
        assertThatThrownBy(() -> encoder.decode(new UnsafeBuffer(badEscape), 0, 3))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("expected 0x00 or 0xFF");
        byte[] badMarker = {'a', 0, 0, 9};
        assertThatThrownBy(() -> encoder.decode(new UnsafeBuffer(badMarker), 0, 4))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("null marker 9");
        byte[] trailing = {'a', 0, 0, 0, 5};
        assertThatThrownBy(() -> encoder.decode(new UnsafeBuffer(trailing), 0, 5))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("after the last key column");
        assertThatThrownBy(() -> encoder.decode(new UnsafeBuffer(trailing), 3, 5))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("outside its buffer");
    }
}
