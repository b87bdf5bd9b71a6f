package io.floe.common.testing;

import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.schema.TypeRoot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * Random values of every column type, biased towards the edges (minimum, maximum, zero, -0.0, NaN,
 * empty strings, embedded zero bytes, prefixes), and the value order a memcomparable key must
 * reproduce. Shared by every module's model tests.
 */
public final class RandomValues {
    private static final String[] STRING_EDGES = {"", "\0", "a", "a\0", "a\0b", "ab", "\u00ff", "\uffff", "\ud83d\ude00", "z\0\0"};
    private static final long MIN_MILLIS = LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) * 1000;
    private static final long MAX_MILLIS = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC) * 1000;

    private RandomValues() {
    }

    /** Returns a random value of {@code type} as {@code RowWriter.setObject} takes it; null only if nullable. */
    public static Object value(ColumnType type, SplittableRandom r) {
        if (type.nullable() && r.nextInt(10) == 0) {
            return null;
        }
        boolean edge = r.nextInt(4) == 0;
        return switch (type.root()) {
            case BOOLEAN -> r.nextBoolean();
            case INT -> edge ? pick(r, Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE) : r.nextInt(-1000, 1000) * (r.nextBoolean() ? 1 : 1_000_000);
            case BIGINT -> edge ? pick(r, Long.MIN_VALUE, -1L, 0L, 1L, Long.MAX_VALUE) : r.nextLong() >> r.nextInt(64);
            case FLOAT -> edge ? pick(r, Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1f, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, 1f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN)
                    : (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-5, 6)));
            case DOUBLE -> edge ? pick(r, Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1d, -Double.MIN_VALUE, -0d, 0d, Double.MIN_VALUE, 1d, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN)
                    : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-30, 30));
            case DECIMAL -> decimal(type, r, edge);
            case DATE -> LocalDate.ofEpochDay(r.nextLong(LocalDate.of(1, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay()));
            case TIMESTAMP -> timestamp(type, r, edge);
            case STRING -> edge ? STRING_EDGES[r.nextInt(STRING_EDGES.length)] : string(r);
            case BYTES -> edge ? STRING_EDGES[r.nextInt(STRING_EDGES.length)].getBytes(StandardCharsets.UTF_8) : bytes(r);
        };
    }

    private static BigDecimal decimal(ColumnType type, SplittableRandom r, boolean edge) {
        BigInteger max = BigInteger.TEN.pow(type.precision()).subtract(BigInteger.ONE);
        BigInteger unscaled;
        if (edge) {
            unscaled = pick(r, max, max.negate(), BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate());
        } else {
            int digits = r.nextInt(1, type.precision() + 1);
            unscaled = new BigInteger(digits * 4, new java.util.Random(r.nextLong())).mod(BigInteger.TEN.pow(digits));
            if (r.nextBoolean()) {
                unscaled = unscaled.negate();
            }
        }
        return new BigDecimal(unscaled, type.scale());
    }

    private static LocalDateTime timestamp(ColumnType type, SplittableRandom r, boolean edge) {
        long millis = edge ? pick(r, MIN_MILLIS, -1L, 0L, 1L, MAX_MILLIS) : r.nextLong(MIN_MILLIS, MAX_MILLIS);
        int nanos = r.nextInt(1_000_000);
        LocalDateTime ts = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000 + nanos, ZoneOffset.UTC);
        // Keep only the digits the column stores, so that the value reads back equal.
        int unit = (int) Math.pow(10, 9 - type.precision());
        return ts.withNano(ts.getNano() - ts.getNano() % unit);
    }

    private static String string(SplittableRandom r) {
        int n = r.nextInt(0, 12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            int cp = kind < 6 ? r.nextInt('a', 'e') : kind < 7 ? 0 : kind < 9 ? r.nextInt(0x80, 0xD7FF) : r.nextInt(0x10000, 0x10FFFF);
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static byte[] bytes(SplittableRandom r) {
        byte[] b = new byte[r.nextInt(0, 12)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : r.nextInt(3) - 1);
        }
        return b;
    }

    @SafeVarargs
    private static <T> T pick(SplittableRandom r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }

    /** Returns the order of values of {@code type} that keys must reproduce: nulls first, then by value. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Comparator<Object> order(ColumnType type) {
        Comparator<Object> values = switch (type.root()) {
            case FLOAT -> (a, b) -> Float.compare((Float) a, (Float) b);
            case DOUBLE -> (a, b) -> Double.compare((Double) a, (Double) b);
            case STRING -> (a, b) -> Arrays.compare(((String) a).codePoints().toArray(), ((String) b).codePoints().toArray());
            case BYTES -> (a, b) -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            default -> (a, b) -> ((Comparable) a).compareTo(b);
        };
        return Comparator.nullsFirst(values);
    }

    /** Returns iff two values of a column are the same (arrays by content, decimals by value and scale). */
    public static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return java.util.Objects.equals(a, b);
    }

    /** Returns a random type, with random precision, scale and nullability. */
    public static ColumnType type(SplittableRandom r) {
        TypeRoot root = TypeRoot.values()[r.nextInt(TypeRoot.values().length)];
        ColumnType type = switch (root) {
            case DECIMAL -> {
                int p = r.nextBoolean() ? r.nextInt(1, 19) : r.nextInt(19, 39);
                yield ColumnType.decimal(p, r.nextInt(0, p + 1));
            }
            case TIMESTAMP -> ColumnType.timestamp(r.nextInt(0, 10));
            default -> ColumnType.of(root);
        };
        return r.nextBoolean() ? type : type.notNull();
    }

    /** Returns a random schema of 1 to {@code maxColumns} columns with a 1- to 3-column key. */
    public static Schema schema(SplittableRandom r, int maxColumns) {
        int n = r.nextInt(1, maxColumns + 1);
        Schema.Builder b = Schema.builder();
        for (int i = 0; i < n; i++) {
            b.column("c" + i, type(r));
        }
        int keys = Math.min(n, r.nextInt(1, 4));
        String[] key = new String[keys];
        int start = r.nextInt(n - keys + 1);
        for (int i = 0; i < keys; i++) {
            key[i] = "c" + (start + i);
        }
        return b.primaryKey(key).build();
    }
}
