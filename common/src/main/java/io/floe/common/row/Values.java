package io.floe.common.row;

import io.floe.common.error.ValueOutOfRangeException;
import io.floe.common.schema.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Conversions between Java values and the stored forms of DECIMAL, DATE and TIMESTAMP, shared by
 * the row writer and reader and by the key encoder so that all three agree.
 */
public final class Values {
    private static final long[] POW10 = new long[19];
    private static final int[] TRUNCATE_NANOS = {1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private Values() {
    }

    /**
     * Returns the unscaled value of {@code value} at the type's scale (rounded half up).
     * Throws {@link ValueOutOfRangeException} if it has more digits than the type's precision.
     */
    public static BigInteger unscaled(BigDecimal value, ColumnType type, String column) {
        BigDecimal scaled = value.setScale(type.scale(), RoundingMode.HALF_UP);
        if (scaled.precision() - scaled.scale() > type.precision() - type.scale()) {
            throw new ValueOutOfRangeException("value " + value + " does not fit " + type + " of column '" + column + "'");
        }
        return scaled.unscaledValue();
    }

    /** Returns iff {@code unscaled} has at most {@code precision} digits. */
    public static boolean fitsPrecision(long unscaled, int precision) {
        return precision >= 19 || (unscaled > -POW10[precision] && unscaled < POW10[precision]);
    }

    public static BigDecimal decimal(BigInteger unscaled, int scale) {
        return new BigDecimal(unscaled, scale);
    }

    /** Returns the days since 1970-01-01 of {@code date}. */
    public static int days(LocalDate date) {
        return Math.toIntExact(date.toEpochDay());
    }

    /** Returns the milliseconds since the epoch of {@code ts} (UTC, as wall-clock time), truncated to {@code precision}. */
    public static long millis(LocalDateTime ts, int precision) {
        long seconds = ts.toEpochSecond(ZoneOffset.UTC);
        int nanos = truncateNanos(ts.getNano(), precision);
        return Math.addExact(Math.multiplyExact(seconds, 1000L), nanos / 1_000_000);
    }

    /** Returns the nanoseconds within the millisecond of {@code ts}, truncated to {@code precision}. */
    public static int nanoOfMilli(LocalDateTime ts, int precision) {
        return truncateNanos(ts.getNano(), precision) % 1_000_000;
    }

    /** Returns {@code nanos} (0..999,999,999) with the digits beyond {@code precision} cleared. */
    public static int truncateNanos(int nanos, int precision) {
        int unit = TRUNCATE_NANOS[precision];
        return nanos - nanos % unit;
    }

    /** Returns the timestamp of {@code millis} and {@code nanoOfMilli}. */
    public static LocalDateTime timestamp(long millis, int nanoOfMilli) {
        long seconds = Math.floorDiv(millis, 1000L);
        int milliOfSecond = (int) Math.floorMod(millis, 1000L);
        return LocalDateTime.ofEpochSecond(seconds, milliOfSecond * 1_000_000 + nanoOfMilli, ZoneOffset.UTC);
    }
}
