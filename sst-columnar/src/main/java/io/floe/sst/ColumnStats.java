package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.schema.TypeRoot;
import java.util.Arrays;
import java.util.HexFormat;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Statistics of a column over a page, a chunk (row group) or a file. Immutable.
 *
 * @param rowCount  rows covered
 * @param nullCount null values among them
 * @param min       the smallest non-null value in sortable form ({@link Sortable}), or null if
 *                  unknown or there is none; possibly a truncated prefix (still a lower bound)
 * @param max       the largest, or null if unknown or none; possibly truncated upwards (still an upper bound)
 */
public record ColumnStats(long rowCount, long nullCount, byte[] min, byte[] max) {
    /** Returns iff every row is null. */
    public boolean allNull() {
        return nullCount == rowCount;
    }

    /** Returns the stats of the union of the rows of {@code this} and {@code other}. */
    public ColumnStats merge(ColumnStats other) {
        long rows = rowCount + other.rowCount;
        long nulls = nullCount + other.nullCount;
        if (other.allNull()) {
            return new ColumnStats(rows, nulls, min, max);
        }
        if (allNull()) {
            return new ColumnStats(rows, nulls, other.min, other.max);
        }
        byte[] lo = min == null || other.min == null ? null : ByteComparisons.compare(min, other.min) <= 0 ? min : other.min;
        byte[] hi = max == null || other.max == null ? null : ByteComparisons.compare(max, other.max) >= 0 ? max : other.max;
        return new ColumnStats(rows, nulls, lo, hi);
    }

    /** Returns the stats of no rows. */
    public static ColumnStats empty() {
        return new ColumnStats(0, 0, null, null);
    }

    /** Returns the min of a fixed column as its sortable long. Requires: {@code min() != null}, fixed column. */
    public long minFixed() {
        return Sortable.fixedFromBytes(min);
    }

    /** Returns the max of a fixed column as its sortable long. Requires: {@code max() != null}, fixed column. */
    public long maxFixed() {
        return Sortable.fixedFromBytes(max);
    }

    /**
     * Returns the stats of the rows of {@code v} for column {@code c}, truncating min and max unless
     * it is the key. Requires: the key column's values are in ascending order (as a page holds them).
     */
    static ColumnStats of(FileColumn c, ValueVector v, UnsafeBuffer scratchA, UnsafeBuffer scratchB) {
        int n = v.size();
        int nulls = v.nullCount();
        if (nulls == n) {
            return new ColumnStats(n, nulls, null, null);
        }
        if (!c.variable()) {
            long lo = -1;
            long hi = 0;
            TypeRoot root = c.root();
            UnsafeBuffer values = v.values();
            values.boundsCheck(0, n << 3);
            Object base = values.byteArray();
            long address = values.addressOffset();
            if (root != TypeRoot.FLOAT && root != TypeRoot.DOUBLE) {
                // Integers sort as their slot with the sign bit flipped: signed min and max suffice.
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (int i = 0; i < n; i++) {
                    if (nulls > 0 && v.isNull(i)) {
                        continue;
                    }
                    long x = UnsafeApi.getLong(base, address + ((long) i << 3));
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
                return new ColumnStats(n, nulls, Sortable.fixedBytes(Sortable.fixed(root, min)), Sortable.fixedBytes(Sortable.fixed(root, max)));
            }
            for (int i = 0; i < n; i++) {
                if (nulls > 0 && v.isNull(i)) {
                    continue;
                }
                long s = Sortable.fixed(root, UnsafeApi.getLong(base, address + ((long) i << 3)));
                if (Long.compareUnsigned(s, lo) < 0) {
                    lo = s;
                }
                if (Long.compareUnsigned(s, hi) > 0) {
                    hi = s;
                }
            }
            return new ColumnStats(n, nulls, Sortable.fixedBytes(lo), Sortable.fixedBytes(hi));
        }
        if (c.isKey()) {
            // Keys are never null and a file holds them in ascending order.
            UnsafeBuffer d = v.data();
            return new ColumnStats(n, 0, copy(d, v.offset(0), v.length(0)), copy(d, v.offset(n - 1), v.length(n - 1)));
        }
        if (Sortable.bytesAsIs(c.root())) {
            int lo = -1;
            int hi = -1;
            // The extremes' first eight bytes decide almost every comparison without a full compare.
            long loPrefix = 0;
            long hiPrefix = 0;
            UnsafeBuffer d = v.data();
            for (int i = 0; i < n; i++) {
                if (nulls > 0 && v.isNull(i)) {
                    continue;
                }
                int offset = v.offset(i);
                int length = v.length(i);
                long p = ByteComparisons.prefix8(d, offset, length);
                if (lo < 0 || (p != loPrefix ? Long.compareUnsigned(p, loPrefix) < 0
                        : ByteComparisons.compare(d, offset, length, d, v.offset(lo), v.length(lo)) < 0)) {
                    lo = i;
                    loPrefix = p;
                }
                if (hi < 0 || (p != hiPrefix ? Long.compareUnsigned(p, hiPrefix) > 0
                        : ByteComparisons.compare(d, offset, length, d, v.offset(hi), v.length(hi)) > 0)) {
                    hi = i;
                    hiPrefix = p;
                }
            }
            byte[] min = copy(d, v.offset(lo), v.length(lo));
            byte[] max = copy(d, v.offset(hi), v.length(hi));
            return c.isKey() ? new ColumnStats(n, nulls, min, max) : new ColumnStats(n, nulls, truncateMin(min), truncateMax(max));
        }
        // DECIMAL(p > 18), TIMESTAMP(p > 3): convert each value, keep the extremes in the scratch buffers.
        int loLen = -1;
        int hiLen = -1;
        byte[] value = new byte[16];
        UnsafeBuffer cur = new UnsafeBuffer(value);
        for (int i = 0; i < n; i++) {
            if (nulls > 0 && v.isNull(i)) {
                continue;
            }
            int len = Sortable.convert(c.root(), v.data(), v.offset(i), v.length(i), cur);
            if (len < 0) {
                throw new IllegalArgumentException("malformed " + c.type() + " value of " + v.length(i) + " bytes in column '" + c.name() + "'");
            }
            if (loLen < 0 || ByteComparisons.compare(cur, 0, len, scratchA, 0, loLen) < 0) {
                scratchA.putBytes(0, cur, 0, len);
                loLen = len;
            }
            if (hiLen < 0 || ByteComparisons.compare(cur, 0, len, scratchB, 0, hiLen) > 0) {
                scratchB.putBytes(0, cur, 0, len);
                hiLen = len;
            }
        }
        return new ColumnStats(n, nulls, copy(scratchA, 0, loLen), copy(scratchB, 0, hiLen));
    }

    /** Appends the stored form ({@link SstLayout}, "stats"). */
    void write(ByteSink out) {
        out.putLong(nullCount);
        out.putByte((min != null ? SstLayout.STATS_HAS_MIN : 0) | (max != null ? SstLayout.STATS_HAS_MAX : 0));
        if (min != null) {
            out.putShort(min.length).putBytes(min);
        }
        if (max != null) {
            out.putShort(max.length).putBytes(max);
        }
    }

    /** Reads the stored form of the stats of {@code rowCount} rows; checks the null count and flags. */
    static ColumnStats read(BlockReader in, long rowCount) {
        long nulls = in.u64("null count", 0, rowCount);
        int flags = in.u8();
        if ((flags & ~(SstLayout.STATS_HAS_MIN | SstLayout.STATS_HAS_MAX)) != 0) {
            throw in.corrupt("unknown statistics flags " + flags);
        }
        byte[] min = (flags & SstLayout.STATS_HAS_MIN) != 0 ? in.bytes(in.u16()) : null;
        byte[] max = (flags & SstLayout.STATS_HAS_MAX) != 0 ? in.bytes(in.u16()) : null;
        if (min != null && max != null && ByteComparisons.compare(min, max) > 0) {
            throw in.corrupt("statistics min is above max");
        }
        return new ColumnStats(rowCount, nulls, min, max);
    }

    private static byte[] copy(UnsafeBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.getBytes(off, out);
        return out;
    }

    /** Returns a lower bound of at most {@link SstLayout#MAX_STAT_BYTES}: a prefix. */
    static byte[] truncateMin(byte[] min) {
        return min.length <= SstLayout.MAX_STAT_BYTES ? min : Arrays.copyOf(min, SstLayout.MAX_STAT_BYTES);
    }

    /**
     * Returns an upper bound of at most {@link SstLayout#MAX_STAT_BYTES}: the prefix with its last
     * byte below 0xFF incremented and the rest dropped, or null if every byte is 0xFF.
     */
    static byte[] truncateMax(byte[] max) {
        if (max.length <= SstLayout.MAX_STAT_BYTES) {
            return max;
        }
        for (int i = SstLayout.MAX_STAT_BYTES - 1; i >= 0; i--) {
            if (max[i] != (byte) 0xFF) {
                byte[] out = Arrays.copyOf(max, i + 1);
                out[i]++;
                return out;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnStats s && s.rowCount == rowCount && s.nullCount == nullCount && Arrays.equals(s.min, min)
                && Arrays.equals(s.max, max);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(rowCount) * 31 + Long.hashCode(nullCount) * 17 + Arrays.hashCode(min) * 7 + Arrays.hashCode(max);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "rows=" + rowCount + " nulls=" + nullCount + " min=" + (min == null ? "-" : hex.formatHex(min)) + " max="
                + (max == null ? "-" : hex.formatHex(max));
    }
}
