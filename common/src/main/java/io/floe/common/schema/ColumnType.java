package io.floe.common.schema;

import io.floe.common.error.InvalidOptionException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a column: a {@link TypeRoot}, its precision and scale where it has them, and whether
 * it admits nulls. Immutable.
 *
 * <ul>
 *   <li>DECIMAL(p, s): 1 &lt;= p &lt;= 38, 0 &lt;= s &lt;= p. Stored as the unscaled value: a long if
 *       p &lt;= 18 ("compact"), else up to 16 bytes.</li>
 *   <li>TIMESTAMP(p): 0 &lt;= p &lt;= 9 fractional second digits, without time zone. Stored as epoch
 *       milliseconds if p &lt;= 3 ("compact"), else milliseconds and nanoseconds of the millisecond.</li>
 *   <li>DATE: days since 1970-01-01 as an int.</li>
 *   <li>STRING: UTF-8, ordered by code point (= unsigned UTF-8 bytes). BYTES: ordered as unsigned bytes.</li>
 * </ul>
 */
public record ColumnType(TypeRoot root, int precision, int scale, boolean nullable) {
    public static final int MAX_DECIMAL_PRECISION = 38;
    public static final int MAX_COMPACT_DECIMAL_PRECISION = 18;
    public static final int MAX_TIMESTAMP_PRECISION = 9;
    public static final int MAX_COMPACT_TIMESTAMP_PRECISION = 3;

    private static final Pattern TEXT = Pattern.compile(
            "\\s*([A-Za-z]+)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*(NOT\\s+NULL)?\\s*", Pattern.CASE_INSENSITIVE);

    public ColumnType {
        if (root == null) {
            throw new IllegalArgumentException("type root must not be null");
        }
        switch (root) {
            case DECIMAL -> {
                InvalidOptionException.check(precision >= 1 && precision <= MAX_DECIMAL_PRECISION, "DECIMAL precision", precision, "1 to 38");
                InvalidOptionException.check(scale >= 0 && scale <= precision, "DECIMAL scale", scale, "0 to the precision " + precision);
            }
            case TIMESTAMP -> {
                InvalidOptionException.check(precision >= 0 && precision <= MAX_TIMESTAMP_PRECISION, "TIMESTAMP precision", precision, "0 to 9");
                InvalidOptionException.check(scale == 0, "TIMESTAMP scale", scale, "TIMESTAMP has no scale");
            }
            default -> {
                InvalidOptionException.check(precision == 0 && scale == 0, root + " precision", precision + "," + scale, root + " takes no precision or scale");
            }
        }
    }

    public static ColumnType of(TypeRoot root) {
        return new ColumnType(root, 0, 0, true);
    }

    public static ColumnType decimal(int precision, int scale) {
        return new ColumnType(TypeRoot.DECIMAL, precision, scale, true);
    }

    public static ColumnType timestamp(int precision) {
        return new ColumnType(TypeRoot.TIMESTAMP, precision, 0, true);
    }

    /** Returns this type without nulls. */
    public ColumnType notNull() {
        return new ColumnType(root, precision, scale, false);
    }

    /** Returns this type with nulls. */
    public ColumnType withNulls() {
        return new ColumnType(root, precision, scale, true);
    }

    /**
     * Returns iff values of this type live in the row's variable-length section rather than in its
     * 8-byte fixed slot.
     */
    public boolean isVariableLength() {
        return switch (root) {
            case STRING, BYTES -> true;
            case DECIMAL -> precision > MAX_COMPACT_DECIMAL_PRECISION;
            case TIMESTAMP -> precision > MAX_COMPACT_TIMESTAMP_PRECISION;
            default -> false;
        };
    }

    /** Returns iff DECIMAL values fit in a long unscaled value. */
    public boolean isCompactDecimal() {
        return root == TypeRoot.DECIMAL && precision <= MAX_COMPACT_DECIMAL_PRECISION;
    }

    /** Returns iff TIMESTAMP values are milliseconds only. */
    public boolean isCompactTimestamp() {
        return root == TypeRoot.TIMESTAMP && precision <= MAX_COMPACT_TIMESTAMP_PRECISION;
    }

    /** Returns the SQL spelling, e.g. {@code DECIMAL(10, 2) NOT NULL}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        String base = switch (root) {
            case DECIMAL -> "DECIMAL(" + precision + ", " + scale + ")";
            case TIMESTAMP -> "TIMESTAMP(" + precision + ")";
            default -> root.name();
        };
        return nullable ? base : base + " NOT NULL";
    }

    /**
     * Returns the type spelled {@code text} (as {@link #toString()} writes it; also VARCHAR, INTEGER,
     * BYTES/VARBINARY synonyms, DECIMAL without arguments as DECIMAL(10, 0), TIMESTAMP as TIMESTAMP(6)).
     * Throws {@link InvalidOptionException} if it is not a type Floe stores.
     */
    public static ColumnType parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new InvalidOptionException("column type", text, "one of BOOLEAN, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p, s), DATE, TIMESTAMP(p), STRING, BYTES, optionally NOT NULL");
        }
        String name = m.group(1).toUpperCase(Locale.ROOT);
        Integer p = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        Integer s = m.group(3) == null ? null : Integer.valueOf(m.group(3));
        boolean nullable = m.group(4) == null;
        TypeRoot root = switch (name) {
            case "BOOLEAN" -> TypeRoot.BOOLEAN;
            case "INT", "INTEGER" -> TypeRoot.INT;
            case "BIGINT" -> TypeRoot.BIGINT;
            case "FLOAT" -> TypeRoot.FLOAT;
            case "DOUBLE" -> TypeRoot.DOUBLE;
            case "DECIMAL", "NUMERIC" -> TypeRoot.DECIMAL;
            case "DATE" -> TypeRoot.DATE;
            case "TIMESTAMP" -> TypeRoot.TIMESTAMP;
            case "STRING", "VARCHAR" -> TypeRoot.STRING;
            case "BYTES", "VARBINARY" -> TypeRoot.BYTES;
            default -> throw new InvalidOptionException("column type", text, "unknown type " + name);
        };
        if (root == TypeRoot.STRING || root == TypeRoot.BYTES) {
            p = null; // VARCHAR(n) / VARBINARY(n): Floe stores any length
            s = null;
        }
        int precision = p != null ? p : root == TypeRoot.DECIMAL ? 10 : root == TypeRoot.TIMESTAMP ? 6 : 0;
        int scale = s != null ? s : 0;
        return new ColumnType(root, precision, scale, nullable);
    }
}
