package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;
import io.floe.common.schema.ColumnType;
import java.util.Locale;

/**
 * The aggregate of one non-key column under the aggregation merge engine. Every function is
 * associative, so compaction may fold any adjacent entries of a key in any grouping. Null inputs
 * are ignored by every function except {@link #LAST}.
 */
public enum AggregateFunction {
    /** The sum of the non-null values (INT, BIGINT, FLOAT, DOUBLE, DECIMAL); overflow is an error. */
    SUM,
    /** The smallest non-null value (every type but BYTES; STRING by code point, BOOLEAN false first). */
    MIN,
    /** The largest non-null value. */
    MAX,
    /** How many non-null values were written (INT or BIGINT column; the written value itself is ignored). */
    COUNT,
    /** The newest non-null value. */
    LAST_NON_NULL,
    /** The newest value, null included. */
    LAST;

    /** Returns iff this function can aggregate a column of {@code type}. */
    public boolean supports(ColumnType type) {
        return switch (this) {
            case SUM -> switch (type.root()) {
                case INT, BIGINT, FLOAT, DOUBLE, DECIMAL -> true;
                default -> false;
            };
            case MIN, MAX -> switch (type.root()) {
                case INT, BIGINT, FLOAT, DOUBLE, DECIMAL, DATE, TIMESTAMP, STRING, BOOLEAN -> true;
                default -> false;
            };
            case COUNT -> switch (type.root()) {
                case INT, BIGINT -> true;
                default -> false;
            };
            case LAST_NON_NULL, LAST -> true;
        };
    }

    /** Returns the function named {@code text} ("last-non-null"). Throws {@link InvalidOptionException} naming {@code option} if none. */
    public static AggregateFunction parse(String option, String text) {
        for (AggregateFunction f : values()) {
            if (f.optionValue().equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new InvalidOptionException(option, text, "one of sum, min, max, count, last-non-null, last");
    }

    /** Returns the name as written in table options, e.g. "last-non-null". */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
