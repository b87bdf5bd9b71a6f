package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes one page of one column ({@link SstLayout}, "Page bodies"), choosing per page the encoding
 * that is smallest for the data: plain, frame-of-reference bit-packing, delta bit-packing or
 * run-length for longs; plain, dictionary or prefix (front) coding for bytes, with the lengths,
 * ids and prefix lengths themselves encoded as longs. Nulls are stored as runs.
 *
 * <p>Memory: scratch regions from the allocator ({@link MemoryPurpose#SST_WRITE}), freed by
 * {@link #close()}; after warm-up a page encodes without allocating.
 * Threads: single owner (one per writer).
 */
final class PageEncoder implements AutoCloseable {
    private final Region lengths;
    private final Region second;
    private final Region ids;
    private final Region table;
    private final Region dictOrder;
    /** The shape of the run of longs being encoded or sized: one reused object, so a page encodes without allocating. */
    private final LongShape shape = new LongShape();
    private boolean dictionaryOverflowed;

    PageEncoder(OffHeapAllocator allocator) {
        this.lengths = new Region(allocator, MemoryPurpose.SST_WRITE);
        this.second = new Region(allocator, MemoryPurpose.SST_WRITE);
        this.ids = new Region(allocator, MemoryPurpose.SST_WRITE);
        this.table = new Region(allocator, MemoryPurpose.SST_WRITE);
        this.dictOrder = new Region(allocator, MemoryPurpose.SST_WRITE);
    }

    /**
     * Appends the body of a page holding {@code v}'s values to {@code out} and returns the value
     * encoding chosen.
     */
    byte encode(ValueVector v, boolean nullable, double dictionaryMaxRatio, ByteSink out) {
        dictionaryOverflowed = false;
        if (nullable) {
            encodeNulls(v, out);
        }
        if (!v.isVariable()) {
            return encodeLongs(v.values(), v.size(), out);
        }
        return encodeBytes(v, dictionaryMaxRatio, out);
    }

    private static void encodeNulls(ValueVector v, ByteSink out) {
        if (v.nullCount() == 0) {
            out.putByte(SstLayout.NULLS_NONE);
            return;
        }
        out.putByte(SstLayout.NULLS_RUNS);
        int countAt = out.reserve(4);
        int runs = 0;
        boolean inNulls = false;
        int run = 0;
        for (int i = 0; i < v.size(); i++) {
            if (v.isNull(i) != inNulls) {
                out.putInt(run);
                runs++;
                run = 0;
                inNulls = !inNulls;
            }
            run++;
        }
        out.putInt(run);
        out.setInt(countAt, runs + 1);
    }

    /**
     * Returns iff the last {@link #encode} tried a dictionary and gave up because the page holds more
     * distinct values than the ratio allows (a writer may then skip the attempt on the column's next pages).
     */
    boolean dictionaryOverflowed() {
        return dictionaryOverflowed;
    }

    // ---- longs ----

    /** Appends the best long encoding of the {@code n} 8-byte values in {@code src}; returns its id. */
    byte encodeLongs(DirectBuffer src, int n, ByteSink out) {
        LongShape s = shape.of(src, n);
        byte best = s.best();
        out.putByte(best);
        switch (best) {
            case SstLayout.FOR -> {
                out.putLong(s.min).putByte(s.forWidth);
                pack(src, n, 0, s.min, s.forWidth, false, out);
            }
            case SstLayout.DELTA -> {
                out.putLong(src.getLong(0)).putLong(s.minDelta).putByte(s.deltaWidth);
                pack(src, n, 1, s.minDelta, s.deltaWidth, true, out);
            }
            case SstLayout.RLE -> {
                out.putInt(s.runs);
                long current = src.getLong(0);
                int run = 1;
                for (int i = 1; i < n; i++) {
                    long x = src.getLong(i << 3);
                    if (x == current) {
                        run++;
                    } else {
                        out.putLong(current).putInt(run);
                        current = x;
                        run = 1;
                    }
                }
                out.putLong(current).putInt(run);
            }
            default -> {
                int at = out.reserve((long) n << 3);
                out.buffer().putBytes(at, src, 0, n << 3);
            }
        }
        return best;
    }

    /** Returns the bytes {@link #encodeLongs} would append for these values. */
    long encodedLongsSize(DirectBuffer src, int n) {
        LongShape s = shape.of(src, n);
        return s.size(s.best());
    }

    private static void pack(DirectBuffer src, int n, int from, long base, int width, boolean delta, ByteSink out) {
        int at = out.reserve(BitPacking.packedBytes(n - from, width));
        BitPacking.packAll(src, from, n, base, width, delta, out.buffer(), at);
    }

    /** The facts about a run of longs that decide its encoding; mutable, re-measured by {@link #of}. */
    private static final class LongShape {
        /** The encodings tried against plain, in order (a tie keeps the earlier). */
        private static final byte[] CANDIDATES = {SstLayout.RLE, SstLayout.FOR, SstLayout.DELTA};
        int n;
        long min;
        byte forWidth;
        long minDelta;
        byte deltaWidth;
        int runs;

        /** Measures the {@code n} 8-byte values in {@code src} into this object and returns it. */
        LongShape of(DirectBuffer src, int n) {
            LongShape s = this;
            s.n = n;
            s.min = 0;
            s.forWidth = 0;
            s.minDelta = 0;
            s.deltaWidth = 0;
            s.runs = 0;
            if (n == 0) {
                return s;
            }
            src.boundsCheck(0, n << 3);
            Object base = src.byteArray();
            long address = src.addressOffset();
            long min = UnsafeApi.getLong(base, address);
            long max = min;
            long minD = Long.MAX_VALUE;
            long maxD = Long.MIN_VALUE;
            int runs = 1;
            long prev = min;
            for (int i = 1; i < n; i++) {
                long x = UnsafeApi.getLong(base, address + ((long) i << 3));
                min = Math.min(min, x);
                max = Math.max(max, x);
                long d = x - prev;
                minD = Math.min(minD, d);
                maxD = Math.max(maxD, d);
                if (x != prev) {
                    runs++;
                }
                prev = x;
            }
            s.min = min;
            s.forWidth = (byte) BitPacking.width(max - min);
            s.minDelta = n > 1 ? minD : 0;
            s.deltaWidth = (byte) (n > 1 ? BitPacking.width(maxD - minD) : 0);
            s.runs = runs;
            return s;
        }

        long size(byte encoding) {
            return 1 + switch (encoding) {
                case SstLayout.FOR -> 9 + BitPacking.packedBytes(n, forWidth);
                case SstLayout.DELTA -> 17 + BitPacking.packedBytes(n - 1, deltaWidth);
                case SstLayout.RLE -> 4 + 12L * runs;
                default -> 8L * n;
            };
        }

        byte best() {
            if (n == 0) {
                return SstLayout.PLAIN_LONG;
            }
            byte best = SstLayout.PLAIN_LONG;
            for (byte e : CANDIDATES) {
                if (size(e) < size(best)) {
                    best = e;
                }
            }
            return best;
        }
    }

    // ---- bytes ----

    private byte encodeBytes(ValueVector v, double dictionaryMaxRatio, ByteSink out) {
        int n = v.size();
        UnsafeBuffer data = v.data();
        lengths.ensure((long) n << 3, 0);
        second.ensure((long) n << 3, 0);
        ids.ensure((long) n << 3, 0);
        // One pass: each value's length, and for prefix coding its prefix shared with the previous
        // value and the suffix length. The vector's offsets are its own (written by the appends),
        // so they are read unchecked once the offset array's range is checked.
        UnsafeBuffer offsets = v.values();
        offsets.boundsCheck(0, (n + 1) << 2);
        Object offsetsBase = offsets.byteArray();
        long offsetsAddress = offsets.addressOffset();
        UnsafeBuffer lengthsOut = lengths.buffer();
        UnsafeBuffer sharedOut = second.buffer();
        UnsafeBuffer suffixOut = ids.buffer();
        long suffixBytes = 0;
        int valueStart = UnsafeApi.getInt(offsetsBase, offsetsAddress);
        int previousStart = valueStart;
        int previousLength = 0;
        for (int i = 0; i < n; i++) {
            int end = UnsafeApi.getInt(offsetsBase, offsetsAddress + ((long) (i + 1) << 2));
            int length = end - valueStart;
            int shared = i == 0 ? 0 : ByteComparisons.commonPrefix(data, previousStart, previousLength, data, valueStart, length);
            lengthsOut.putLong(i << 3, length);
            sharedOut.putLong(i << 3, shared);
            suffixOut.putLong(i << 3, length - shared);
            suffixBytes += length - shared;
            previousStart = valueStart;
            previousLength = length;
            valueStart = end;
        }
        long plain = encodedLongsSize(lengthsOut, n) + 4 + v.dataLength();
        long prefix = encodedLongsSize(second.buffer(), n) + encodedLongsSize(ids.buffer(), n) + 4 + suffixBytes;

        int dictSize = dictionaryMaxRatio > 0 ? buildDictionary(v, (int) Math.min(n, Math.floor(dictionaryMaxRatio * n))) : -1;
        long dict = Long.MAX_VALUE;
        if (dictSize > 0) {
            long dictData = 0;
            for (int d = 0; d < dictSize; d++) {
                int row = dictOrder.buffer().getInt(d << 2);
                lengths.buffer().putLong(d << 3, v.length(row));
                dictData += v.length(row);
            }
            dict = 4 + encodedLongsSize(lengths.buffer(), dictSize) + 4 + dictData + encodedLongsSize(ids.buffer(), n);
        }
        if (dict < plain && dict <= prefix) {
            out.putByte(SstLayout.DICT_BYTES).putInt(dictSize);
            encodeLongs(lengths.buffer(), dictSize, out);
            int sizeAt = out.reserve(4);
            int start = out.position();
            for (int d = 0; d < dictSize; d++) {
                int row = dictOrder.buffer().getInt(d << 2);
                out.putBytes(data, v.offset(row), v.length(row));
            }
            out.setInt(sizeAt, out.position() - start);
            encodeLongs(ids.buffer(), n, out);
            return SstLayout.DICT_BYTES;
        }
        if (prefix < plain) {
            out.putByte(SstLayout.PREFIX_BYTES);
            encodeLongs(second.buffer(), n, out);
            if (dictionaryMaxRatio > 0) {
                // The dictionary attempt wrote its ids over the suffix lengths; recompute them.
                for (int i = 0; i < n; i++) {
                    ids.buffer().putLong(i << 3, v.length(i) - second.buffer().getLong(i << 3));
                }
            }
            encodeLongs(ids.buffer(), n, out);
            out.putInt((int) suffixBytes);
            for (int i = 0; i < n; i++) {
                int shared = (int) second.buffer().getLong(i << 3);
                out.putBytes(data, v.offset(i) + shared, v.length(i) - shared);
            }
            return SstLayout.PREFIX_BYTES;
        }
        out.putByte(SstLayout.PLAIN_BYTES);
        if (dictSize > 0) {
            // Sizing the dictionary wrote its entries' lengths over the values' lengths; recompute them.
            for (int i = 0; i < n; i++) {
                lengths.buffer().putLong(i << 3, v.length(i));
            }
        }
        encodeLongs(lengths.buffer(), n, out);
        out.putInt(v.dataLength());
        out.putBytes(data, 0, v.dataLength());
        return SstLayout.PLAIN_BYTES;
    }

    /**
     * Assigns dictionary ids (into {@code ids}) in first-seen order, remembering each entry's first
     * row in {@code dictOrder}. Returns the dictionary size, or -1 if it would exceed {@code limit}.
     */
    private int buildDictionary(ValueVector v, int limit) {
        int n = v.size();
        if (limit < 1) {
            return -1;
        }
        int slots = Integer.highestOneBit(Math.max(16, limit * 2 - 1)) << 1;
        table.ensure((long) slots << 2, 0);
        UnsafeBuffer t = table.buffer();
        t.setMemory(0, slots << 2, (byte) 0);
        dictOrder.ensure((long) limit << 2, 0);
        UnsafeBuffer data = v.data();
        int size = 0;
        for (int i = 0; i < n; i++) {
            int off = v.offset(i);
            int len = v.length(i);
            int slot = (int) Hashing.hash64(data, off, len) & (slots - 1);
            int id;
            while (true) {
                int entry = t.getInt(slot << 2);
                if (entry == 0) {
                    if (size == limit) {
                        dictionaryOverflowed = true;
                        return -1;
                    }
                    dictOrder.buffer().putInt(size << 2, i);
                    id = size++;
                    t.putInt(slot << 2, id + 1);
                    break;
                }
                int row = dictOrder.buffer().getInt((entry - 1) << 2);
                if (v.length(row) == len && ByteComparisons.commonPrefix(data, v.offset(row), len, data, off, len) == len) {
                    id = entry - 1;
                    break;
                }
                slot = (slot + 1) & (slots - 1);
            }
            ids.buffer().putLong(i << 3, id);
        }
        return size;
    }

    @Override
    public void close() {
        lengths.close();
        second.close();
        ids.close();
        table.close();
        dictOrder.close();
    }
}
