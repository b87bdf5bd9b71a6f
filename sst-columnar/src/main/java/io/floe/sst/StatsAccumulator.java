package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.schema.TypeRoot;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The statistics of a column over a page, a chunk or a file being written, held mutably so that the
 * writer measures every page and merges it into its chunk and file without allocating: the mutable
 * twin of {@link ColumnStats}, which it equals once {@link #toColumnStats() frozen} (same rows,
 * nulls, min and max; same stored form, {@link #write}).
 *
 * <p>Memory: two heap arrays for min and max, grown geometrically to the longest bound seen (at
 * most {@link SstLayout#MAX_STAT_BYTES} for a value column, {@link SstLayout#MAX_KEY_BYTES} for the
 * key) and kept. Threads: single owner (a writer).
 */
final class StatsAccumulator {
    private long rows;
    private long nulls;
    private boolean hasMin;
    private boolean hasMax;
    private byte[] min = new byte[16];
    private byte[] max = new byte[16];
    private int minLength;
    private int maxLength;
    /** Views over {@link #min} and {@link #max}, re-wrapped when they grow. */
    private final UnsafeBuffer minView = new UnsafeBuffer(min);
    private final UnsafeBuffer maxView = new UnsafeBuffer(max);
    /** One value converted to sortable form (DECIMAL above 18 digits, TIMESTAMP above 3). */
    private final UnsafeBuffer converted = new UnsafeBuffer(new byte[16]);

    /** Makes this the statistics of no rows. */
    void reset() {
        rows = 0;
        nulls = 0;
        hasMin = false;
        hasMax = false;
        minLength = 0;
        maxLength = 0;
    }

    long rows() {
        return rows;
    }

    long nulls() {
        return nulls;
    }

    /** Returns iff every row is null (also iff there are no rows). */
    boolean allNull() {
        return nulls == rows;
    }

    /**
     * Makes this the statistics of the rows of {@code v} for column {@code c}, as
     * {@link ColumnStats#of} computes them (min and max truncated unless {@code c} is the key).
     * Requires: the key column's values are in ascending order (as a page holds them).
     * Throws {@link IllegalArgumentException} if a DECIMAL or TIMESTAMP value is malformed.
     */
    void measure(FileColumn c, ValueVector v) {
        reset();
        int n = v.size();
        int nullCount = v.nullCount();
        rows = n;
        nulls = nullCount;
        if (nullCount == n) {
            return;
        }
        if (!c.variable()) {
            measureFixed(c.root(), v, n, nullCount);
        } else if (c.isKey()) {
            // Keys are never null and a file holds them in ascending order.
            UnsafeBuffer d = v.data();
            setMin(d, v.offset(0), v.length(0));
            setMax(d, v.offset(n - 1), v.length(n - 1));
        } else if (Sortable.bytesAsIs(c.root())) {
            measureBytes(v, n, nullCount);
        } else {
            measureConverted(c, v, n, nullCount);
        }
    }

    private void measureFixed(TypeRoot root, ValueVector v, int n, int nullCount) {
        UnsafeBuffer values = v.values();
        values.boundsCheck(0, n << 3);
        Object base = values.byteArray();
        long address = values.addressOffset();
        if (root != TypeRoot.FLOAT && root != TypeRoot.DOUBLE) {
            // Integers sort as their slot with the sign bit flipped: signed min and max suffice.
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                if (nullCount > 0 && v.isNull(i)) {
                    continue;
                }
                long x = UnsafeApi.getLong(base, address + ((long) i << 3));
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            setFixed(Sortable.fixed(root, lo), Sortable.fixed(root, hi));
            return;
        }
        long lo = -1;
        long hi = 0;
        for (int i = 0; i < n; i++) {
            if (nullCount > 0 && v.isNull(i)) {
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
        setFixed(lo, hi);
    }

    private void setFixed(long lo, long hi) {
        minView.putLong(0, lo, ByteOrder.BIG_ENDIAN);
        maxView.putLong(0, hi, ByteOrder.BIG_ENDIAN);
        minLength = 8;
        maxLength = 8;
        hasMin = true;
        hasMax = true;
    }

    private void measureBytes(ValueVector v, int n, int nullCount) {
        int lo = -1;
        int hi = -1;
        // The extremes' first eight bytes decide almost every comparison without a full compare.
        long loPrefix = 0;
        long hiPrefix = 0;
        UnsafeBuffer d = v.data();
        for (int i = 0; i < n; i++) {
            if (nullCount > 0 && v.isNull(i)) {
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
        // A lower bound: the prefix ({@link ColumnStats#truncateMin}).
        setMin(d, v.offset(lo), Math.min(v.length(lo), SstLayout.MAX_STAT_BYTES));
        setTruncatedMax(d, v.offset(hi), v.length(hi));
    }

    /** Sets the max to {@code d[offset, +length)} truncated upwards as {@link ColumnStats#truncateMax} does (none if all 0xFF). */
    private void setTruncatedMax(UnsafeBuffer d, int offset, int length) {
        if (length <= SstLayout.MAX_STAT_BYTES) {
            setMax(d, offset, length);
            return;
        }
        for (int i = SstLayout.MAX_STAT_BYTES - 1; i >= 0; i--) {
            byte b = d.getByte(offset + i);
            if (b != (byte) 0xFF) {
                setMax(d, offset, i + 1);
                max[i] = (byte) (b + 1);
                return;
            }
        }
        hasMax = false;
        maxLength = 0;
    }

    private void measureConverted(FileColumn c, ValueVector v, int n, int nullCount) {
        for (int i = 0; i < n; i++) {
            if (nullCount > 0 && v.isNull(i)) {
                continue;
            }
            int len = Sortable.convert(c.root(), v.data(), v.offset(i), v.length(i), converted);
            if (len < 0) {
                throw new IllegalArgumentException("malformed " + c.type() + " value of " + v.length(i) + " bytes in column '" + c.name() + "'");
            }
            if (!hasMin || ByteComparisons.compare(converted, 0, len, minView, 0, minLength) < 0) {
                setMin(converted, 0, len);
            }
            if (!hasMax || ByteComparisons.compare(converted, 0, len, maxView, 0, maxLength) > 0) {
                setMax(converted, 0, len);
            }
        }
    }

    /** Makes this the statistics of the union of its rows and {@code other}'s, as {@link ColumnStats#merge} does. */
    void merge(StatsAccumulator other) {
        boolean wasAllNull = allNull();
        rows += other.rows;
        nulls += other.nulls;
        if (other.allNull()) {
            return;
        }
        if (wasAllNull) {
            hasMin = other.hasMin;
            hasMax = other.hasMax;
            if (hasMin) {
                setMin(other.minView, 0, other.minLength);
            }
            if (hasMax) {
                setMax(other.maxView, 0, other.maxLength);
            }
            return;
        }
        if (hasMin && other.hasMin) {
            if (Arrays.compareUnsigned(other.min, 0, other.minLength, min, 0, minLength) < 0) {
                setMin(other.minView, 0, other.minLength);
            }
        } else {
            hasMin = false;
        }
        if (hasMax && other.hasMax) {
            if (Arrays.compareUnsigned(other.max, 0, other.maxLength, max, 0, maxLength) > 0) {
                setMax(other.maxView, 0, other.maxLength);
            }
        } else {
            hasMax = false;
        }
    }

    private void setMin(DirectBuffer src, int offset, int length) {
        if (length > min.length) {
            min = new byte[Math.max(length, 2 * min.length)];
            minView.wrap(min);
        }
        src.getBytes(offset, min, 0, length);
        minLength = length;
        hasMin = true;
    }

    private void setMax(DirectBuffer src, int offset, int length) {
        if (length > max.length) {
            max = new byte[Math.max(length, 2 * max.length)];
            maxView.wrap(max);
        }
        src.getBytes(offset, max, 0, length);
        maxLength = length;
        hasMax = true;
    }

    /** Appends the stored form ({@link SstLayout}, "stats"), byte for byte {@link ColumnStats#write}'s. */
    void write(ByteSink out) {
        out.putLong(nulls);
        out.putByte((hasMin ? SstLayout.STATS_HAS_MIN : 0) | (hasMax ? SstLayout.STATS_HAS_MAX : 0));
        if (hasMin) {
            out.putShort(minLength).putBytes(min, 0, minLength);
        }
        if (hasMax) {
            out.putShort(maxLength).putBytes(max, 0, maxLength);
        }
    }

    /** Returns an immutable copy (allocates: once per row group or file, not per page). */
    ColumnStats toColumnStats() {
        return new ColumnStats(rows, nulls, hasMin ? Arrays.copyOf(min, minLength) : null, hasMax ? Arrays.copyOf(max, maxLength) : null);
    }

    @Override
    public String toString() {
        return toColumnStats().toString();
    }
}
