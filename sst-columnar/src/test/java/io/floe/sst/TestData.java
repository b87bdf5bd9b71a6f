package io.floe.sst;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.schema.TypeRoot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Random schemas, values, entries and options for model tests, and a writer of them. */
final class TestData {
    static final TypeRoot[] ROOTS = TypeRoot.values();

    private TestData() {
    }

    static Schema randomSchema(SplittableRandom r) {
        Schema.Builder b = Schema.builder();
        int columns = 1 + r.nextInt(12);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            ColumnType type = randomType(r);
            b.column("c" + i, type);
            names.add("c" + i);
        }
        // Key: one or two columns, keyable types.
        b.column("k0", r.nextBoolean() ? ColumnType.of(TypeRoot.BIGINT).notNull() : ColumnType.of(TypeRoot.STRING));
        if (r.nextInt(3) == 0) {
            b.column("k1", r.nextBoolean() ? ColumnType.of(TypeRoot.INT) : ColumnType.decimal(30, 4).notNull());
            return b.primaryKey("k0", "k1").build();
        }
        return b.primaryKey("k0").build();
    }

    static ColumnType randomType(SplittableRandom r) {
        TypeRoot root = ROOTS[r.nextInt(ROOTS.length)];
        ColumnType t = switch (root) {
            case DECIMAL -> {
                int p = 1 + r.nextInt(38);
                yield ColumnType.decimal(p, r.nextInt(p + 1));
            }
            case TIMESTAMP -> ColumnType.timestamp(r.nextInt(10));
            default -> ColumnType.of(root);
        };
        return r.nextInt(3) == 0 ? t.notNull() : t;
    }

    /** Returns a random value of {@code type}; {@code narrow} draws from a small set (repetitive data). */
    static Object randomValue(SplittableRandom r, ColumnType type, boolean narrow) {
        if (type.nullable() && r.nextInt(5) == 0) {
            return null;
        }
        if (narrow) {
            r = new SplittableRandom(r.nextInt(4));
        }
        return switch (type.root()) {
            case BOOLEAN -> r.nextBoolean();
            case INT -> r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(-100, 100);
            case BIGINT -> r.nextInt(4) == 0 ? r.nextLong() : r.nextLong(-1000, 1000);
            case FLOAT -> switch (r.nextInt(8)) {
                case 0 -> Float.NaN;
                case 1 -> -0.0f;
                case 2 -> Float.NEGATIVE_INFINITY;
                default -> (float) (r.nextDouble() * 200 - 100);
            };
            case DOUBLE -> switch (r.nextInt(8)) {
                case 0 -> Double.NaN;
                case 1 -> 0.0;
                default -> r.nextDouble() * 2e6 - 1e6;
            };
            case DECIMAL -> {
                int digits = 1 + r.nextInt(type.precision());
                BigInteger unscaled = new BigInteger(BigInteger.TEN.pow(digits).bitLength() - 1, new java.util.Random(r.nextLong()));
                yield new BigDecimal(r.nextBoolean() ? unscaled.negate() : unscaled, type.scale());
            }
            case DATE -> LocalDate.ofEpochDay(r.nextInt(-30_000, 80_000));
            case TIMESTAMP -> LocalDateTime.ofEpochSecond(r.nextLong(-2_000_000_000L, 7_000_000_000L), r.nextInt(1_000_000_000), java.time.ZoneOffset.UTC);
            case STRING -> randomString(r);
            case BYTES -> {
                byte[] b = new byte[r.nextInt(20)];
                r.nextBytes(b);
                yield b;
            }
        };
    }

    static String randomString(SplittableRandom r) {
        int len = r.nextInt(8) == 0 ? 0 : r.nextInt(30);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int kind = r.nextInt(10);
            sb.append(kind == 0 ? '\0' : kind == 1 ? (char) (0x400 + r.nextInt(200)) : (char) ('a' + r.nextInt(r.nextBoolean() ? 3 : 26)));
        }
        if (r.nextInt(20) == 0) {
            sb.append("x".repeat(100)); // longer than the statistics keep
        }
        return sb.toString();
    }

    static SstOptions randomOptions(SplittableRandom r, Schema schema) {
        Codec[] codecs = Codec.values();
        Map<String, Codec> byColumn = new java.util.HashMap<>();
        for (int i = 0; i < schema.columnCount(); i++) {
            if (r.nextInt(3) == 0) {
                byColumn.put(schema.column(i).name(), codecs[r.nextInt(codecs.length)]);
            }
        }
        return new SstOptions(50 + r.nextInt(2000), (64 << 10) + r.nextInt(1 << 20), 1024 + r.nextInt(8192), 16 + r.nextInt(300),
                codecs[r.nextInt(codecs.length)], byColumn, 1 + r.nextInt(5), r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(16), r.nextDouble());
    }

    /**
     * Returns entries over {@code keys} distinct keys, 1 to 3 versions each with distinct seqs,
     * sorted as the writer requires. Values are canonical (read back through a row).
     */
    static List<Entry> randomEntries(SplittableRandom r, Schema schema, int keys, OffHeapAllocator allocator) {
        KeyEncoder encoder = new KeyEncoder(schema);
        boolean[] narrow = new boolean[schema.columnCount()];
        for (int i = 0; i < narrow.length; i++) {
            narrow[i] = r.nextBoolean();
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seenKeys = new HashSet<>();
        Set<Long> seqs = new HashSet<>();
        try (RowWriter row = new RowWriter(schema, allocator);
             GrowableBuffer keyBuf = new GrowableBuffer(allocator, MemoryPurpose.ROW, 64)) {
            RowReader reader = new RowReader(schema);
            for (int k = 0; k < keys; k++) {
                Object[] keyValues = new Object[schema.keyColumnCount()];
                for (int i = 0; i < keyValues.length; i++) {
                    keyValues[i] = randomValue(r, schema.type(schema.keyColumn(i)), false);
                }
                int versions = 1 + r.nextInt(3);
                for (int v = 0; v < versions; v++) {
                    row.reset();
                    for (int c = 0; c < schema.columnCount(); c++) {
                        row.setObject(c, randomValue(r, schema.type(c), narrow[c]));
                    }
                    for (int i = 0; i < keyValues.length; i++) {
                        row.setObject(schema.keyColumn(i), keyValues[i]);
                    }
                    int len = row.complete();
                    reader.wrap(row.buffer(), 0, len);
                    int keyLen = encoder.encode(reader, keyBuf);
                    byte[] key = new byte[keyLen];
                    keyBuf.buffer().getBytes(0, key);
                    if (v == 0 && !seenKeys.add(java.util.HexFormat.of().formatHex(key))) {
                        break;
                    }
                    long seq;
                    do {
                        seq = r.nextLong(1, 1L << 40);
                    } while (!seqs.add(seq));
                    entries.add(new Entry(key, seq, RowKind.fromValue((byte) r.nextInt(4)), reader.toObjects()));
                }
            }
        }
        entries.sort(Comparator.<Entry, byte[]>comparing(Entry::key, ByteComparisons::compare).thenComparing(Entry::seq, Comparator.reverseOrder()));
        return entries;
    }

    /** Writes {@code entries} to {@code path} and returns the metadata. */
    static SstMetadata write(Path path, Schema schema, SstOptions options, List<Entry> entries, OffHeapAllocator allocator) {
        try (SstWriter w = SstWriter.open(path, schema, options, allocator); RowWriter row = new RowWriter(schema, allocator)) {
            for (Entry e : entries) {
                row.reset();
                row.setAll(e.values());
                int len = row.complete();
                org.agrona.concurrent.UnsafeBuffer key = new org.agrona.concurrent.UnsafeBuffer(e.key());
                w.add(key, 0, e.key().length, e.seq(), e.kind(), row.buffer(), 0, len);
            }
            return w.finish();
        }
    }

    /** Compares two non-null values of one column in the column's order (independently of the SST code). */
    static int compareValues(ColumnType type, Object a, Object b) {
        return switch (type.root()) {
            case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
            case INT -> Integer.compare((Integer) a, (Integer) b);
            case BIGINT -> Long.compare((Long) a, (Long) b);
            case FLOAT -> Float.compare((Float) a, (Float) b);
            case DOUBLE -> Double.compare((Double) a, (Double) b);
            case DECIMAL -> ((BigDecimal) a).compareTo((BigDecimal) b);
            case DATE -> ((LocalDate) a).compareTo((LocalDate) b);
            case TIMESTAMP -> ((LocalDateTime) a).compareTo((LocalDateTime) b);
            case STRING -> Arrays.compareUnsigned(((String) a).getBytes(StandardCharsets.UTF_8), ((String) b).getBytes(StandardCharsets.UTF_8));
            case BYTES -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        };
    }
}
