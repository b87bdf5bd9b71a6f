package io.floe.sst;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes page bodies ({@link SstLayout}, "Page bodies") into a {@link ValueVector}. Every count,
 * width, length, offset and id read from the page is checked before it is used; a bad one raises
 * {@link io.floe.common.error.CorruptionException} naming the file and offset (through the
 * {@link BlockReader}).
 *
 * <p>Memory: one scratch region from the allocator ({@link MemoryPurpose#SST_READ}), freed by
 * {@link #close()}. Threads: single owner (one per scan or lookup).
 */
final class PageDecoder implements AutoCloseable {
    private final Region scratchA;
    private final Region scratchB;

    PageDecoder(OffHeapAllocator allocator) {
        this.scratchA = new Region(allocator, MemoryPurpose.SST_READ);
        this.scratchB = new Region(allocator, MemoryPurpose.SST_READ);
    }

    /**
     * Decodes a page of {@code rows} values (from {@code in} to its end) into {@code out}, replacing
     * its contents. Returns the value encoding read.
     */
    byte decode(BlockReader in, int rows, boolean nullable, ValueVector out) {
        out.reset();
        int nulls = 0;
        if (nullable) {
            nulls = decodeNulls(in, rows, out);
        }
        byte encoding;
        int dataBytes = 0;
        if (!out.isVariable()) {
            out.values.ensure((long) rows << 3, 0);
            encoding = decodeLongs(in, rows, out.values.buffer());
        } else {
            encoding = (byte) in.u8();
            dataBytes = switch (encoding) {
                case SstLayout.PLAIN_BYTES -> plainBytes(in, rows, out);
                case SstLayout.DICT_BYTES -> dictBytes(in, rows, out);
                case SstLayout.PREFIX_BYTES -> prefixBytes(in, rows, out);
                default -> throw in.corrupt("unknown bytes encoding " + encoding);
            };
        }
        in.expectEnd();
        out.setDecoded(rows, dataBytes, nulls);
        return encoding;
    }

    private static int decodeNulls(BlockReader in, int rows, ValueVector out) {
        int mode = in.u8();
        if (mode == SstLayout.NULLS_NONE) {
            return 0;
        }
        if (mode != SstLayout.NULLS_RUNS) {
            throw in.corrupt("unknown null encoding " + mode);
        }
        int runs = in.u32("null run count", 1, (long) rows + 1);
        out.validity.ensure(((long) rows + 7) >>> 3, 0);
        UnsafeBuffer bits = out.validity.buffer();
        bits.setMemory(0, (rows + 7) >>> 3, (byte) 0);
        int row = 0;
        int nulls = 0;
        for (int r = 0; r < runs; r++) {
            int run = in.u32("null run", 0, rows - row);
            if ((r & 1) == 0) {
                for (int i = row; i < row + run; i++) {
                    bits.putByte(i >>> 3, (byte) (bits.getByte(i >>> 3) | (1 << (i & 7))));
                }
            } else {
                nulls += run;
            }
            row += run;
        }
        if (row != rows) {
            throw in.corrupt("null runs cover " + row + " rows, expected " + rows);
        }
        if (nulls == 0) {
            throw in.corrupt("null runs hold no null");
        }
        return nulls;
    }

    /**
     * Decodes {@code n} longs (encoding byte and payload) from {@code in} into {@code dst} as 8-byte
     * values from offset 0. Requires: {@code dst} holds {@code 8 * n} bytes.
     */
    static byte decodeLongs(BlockReader in, int n, UnsafeBuffer dst) {
        byte encoding = (byte) in.u8();
        DirectBuffer src = in.buffer();
        switch (encoding) {
            case SstLayout.PLAIN_LONG -> dst.putBytes(0, src, in.take((long) n << 3), n << 3);
            case SstLayout.FOR -> {
                long base = in.i64();
                int width = width(in);
                long bytes = BitPacking.packedBytes(n, width);
                BitPacking.unpackAdd(src, in.take(bytes), n, width, base, dst, 0);
            }
            case SstLayout.DELTA -> {
                if (n == 0) {
                    throw in.corrupt("DELTA encoding of no values");
                }
                long first = in.i64();
                long minDelta = in.i64();
                int width = width(in);
                long bytes = BitPacking.packedBytes(n - 1L, width);
                int at = in.take(bytes);
                dst.putLong(0, first);
                BitPacking.unpackAdd(src, at, n - 1, width, minDelta, dst, 8);
                dst.boundsCheck(0, n << 3);
                Object base = dst.byteArray();
                long address = dst.addressOffset();
                long prev = first;
                for (int i = 1; i < n; i++) {
                    // Unchecked: i < n and dst holds 8 * n bytes (checked above).
                    prev += UnsafeApi.getLong(base, address + ((long) i << 3));
                    UnsafeApi.putLong(base, address + ((long) i << 3), prev);
                }
            }
            case SstLayout.RLE -> {
                int runs = in.u32("RLE run count", n == 0 ? 0 : 1, n);
                int row = 0;
                for (int r = 0; r < runs; r++) {
                    long value = in.i64();
                    int length = in.u32("RLE run length", 1, n - row);
                    for (int i = 0; i < length; i++) {
                        dst.putLong((row + i) << 3, value);
                    }
                    row += length;
                }
                if (row != n) {
                    throw in.corrupt("RLE runs cover " + row + " values, expected " + n);
                }
            }
            default -> throw in.corrupt("unknown long encoding " + encoding);
        }
        return encoding;
    }

    private static int width(BlockReader in) {
        int width = in.u8();
        if (width > 64) {
            throw in.corrupt("bit width " + width);
        }
        return width;
    }

    /** Decodes {@code n} lengths and turns them into {@code out}'s offsets; returns the total. */
    private int lengthsToOffsets(BlockReader in, int n, ValueVector out, long maxTotal) {
        scratchA.ensure((long) n << 3, 0);
        decodeLongs(in, n, scratchA.buffer());
        out.values.ensure(((long) n + 1) << 2, 0);
        UnsafeBuffer offsets = out.values.buffer();
        // Unchecked: scratchA holds n longs and offsets n + 1 ints (both ensured above).
        Object lengthBase = scratchA.buffer().byteArray();
        long lengthAddress = scratchA.buffer().addressOffset();
        Object offsetBase = offsets.byteArray();
        long offsetAddress = offsets.addressOffset();
        long total = 0;
        UnsafeApi.putInt(offsetBase, offsetAddress, 0);
        for (int i = 0; i < n; i++) {
            long length = UnsafeApi.getLong(lengthBase, lengthAddress + ((long) i << 3));
            total += length;
            if (length < 0 || total > maxTotal) {
                throw in.corrupt("value " + i + " has length " + length + "; total " + total + " exceeds " + maxTotal);
            }
            UnsafeApi.putInt(offsetBase, offsetAddress + ((long) (i + 1) << 2), (int) total);
        }
        return (int) total;
    }

    private int plainBytes(BlockReader in, int n, ValueVector out) {
        int total = lengthsToOffsets(in, n, out, in.remaining());
        int dataLength = in.u32("data length", total, total);
        out.data.ensure(dataLength, 0);
        out.data.buffer().putBytes(0, in.buffer(), in.take(dataLength), dataLength);
        return dataLength;
    }

    private int dictBytes(BlockReader in, int n, ValueVector out) {
        int dictSize = in.u32("dictionary size", 1, Math.max(1, n));
        // Dictionary offsets go to scratchB as ints (size + 1), via out's offsets region.
        int dictData = lengthsToOffsets(in, dictSize, out, in.remaining());
        scratchB.ensure(((long) dictSize + 1) << 2, 0);
        scratchB.buffer().putBytes(0, out.values.buffer(), 0, (dictSize + 1) << 2);
        int length = in.u32("dictionary data length", dictData, dictData);
        int dataAt = in.take(length);
        scratchA.ensure((long) n << 3, 0);
        decodeLongs(in, n, scratchA.buffer());
        UnsafeBuffer dictOffsets = scratchB.buffer();
        long total = 0;
        for (int i = 0; i < n; i++) {
            long id = scratchA.buffer().getLong(i << 3);
            if (id < 0 || id >= dictSize) {
                throw in.corrupt("dictionary id " + id + " of value " + i + " is outside [0, " + dictSize + ")");
            }
            total += dictOffsets.getInt(((int) id + 1) << 2) - dictOffsets.getInt((int) id << 2);
        }
        if (total > Integer.MAX_VALUE - 8 || total > (long) SstLayout.MAX_PAGE_BYTES) {
            throw in.corrupt("dictionary page expands to " + total + " bytes");
        }
        out.values.ensure(((long) n + 1) << 2, 0);
        out.data.ensure(total + 32, 0); // slack for the word copies of short values
        UnsafeBuffer offsets = out.values.buffer();
        UnsafeBuffer data = out.data.buffer();
        DirectBuffer src = in.buffer();
        int srcLimit = src.capacity() - 32;
        int end = 0;
        offsets.putInt(0, 0);
        for (int i = 0; i < n; i++) {
            int id = (int) scratchA.buffer().getLong(i << 3);
            int from = dataAt + dictOffsets.getInt(id << 2);
            int len = dictOffsets.getInt((id + 1) << 2) - dictOffsets.getInt(id << 2);
            if (len <= 32 && from <= srcLimit) {
                // Short values: word copies beat a copyMemory call; the bytes past len are
                // overwritten by the next value or lie in the slack beyond the data.
                data.putLong(end, src.getLong(from));
                data.putLong(end + 8, src.getLong(from + 8));
                if (len > 16) {
                    data.putLong(end + 16, src.getLong(from + 16));
                    data.putLong(end + 24, src.getLong(from + 24));
                }
            } else {
                data.putBytes(end, src, from, len);
            }
            end += len;
            offsets.putInt((i + 1) << 2, end);
        }
        return end;
    }

    private int prefixBytes(BlockReader in, int n, ValueVector out) {
        scratchB.ensure((long) n << 3, 0);
        decodeLongs(in, n, scratchB.buffer());
        int suffixTotal = lengthsToOffsets(in, n, out, in.remaining());
        int dataLength = in.u32("suffix data length", suffixTotal, suffixTotal);
        int dataAt = in.take(dataLength);
        // Suffix offsets are in out.values; rebuild them as value offsets while copying.
        scratchA.ensure(((long) n + 1) << 2, 0);
        scratchA.buffer().putBytes(0, out.values.buffer(), 0, (n + 1) << 2);
        UnsafeBuffer suffixOffsets = scratchA.buffer();
        long total = 0;
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long shared = scratchB.buffer().getLong(i << 3);
            if (shared < 0 || shared > previous || (i == 0 && shared != 0)) {
                throw in.corrupt("value " + i + " shares " + shared + " bytes with a previous value of " + previous);
            }
            previous = shared + suffixOffsets.getInt((i + 1) << 2) - suffixOffsets.getInt(i << 2);
            total += previous;
            if (total > SstLayout.MAX_PAGE_BYTES) {
                throw in.corrupt("prefix-coded page expands to more than " + SstLayout.MAX_PAGE_BYTES + " bytes");
            }
        }
        // Slack of 8 bytes: values are copied a word at a time, and a word's bytes past a value's end
        // are overwritten by the next value or lie in the slack.
        out.data.ensure(total + 8, 0);
        out.values.ensure(((long) n + 1) << 2, 0);
        UnsafeBuffer data = out.data.buffer();
        UnsafeBuffer offsets = out.values.buffer();
        DirectBuffer src = in.buffer();
        // Every range below was checked: shared lengths against the previous value, suffixes
        // against the taken data [dataAt, dataAt + dataLength), the total against data's capacity;
        // offsets hold n + 1 ints, scratchB n longs, suffixOffsets n + 1 ints.
        Object dataBase = data.byteArray();
        long dataAddress = data.addressOffset();
        Object srcBase = src.byteArray();
        long srcAddress = src.addressOffset() + dataAt;
        Object sharedBase = scratchB.buffer().byteArray();
        long sharedAddress = scratchB.buffer().addressOffset();
        Object suffixBase = suffixOffsets.byteArray();
        long suffixAddress = suffixOffsets.addressOffset();
        Object offsetBase = offsets.byteArray();
        long offsetAddress = offsets.addressOffset();
        // A suffix word load may read past its end only while it stays within the source buffer.
        long srcWordLimit = src.capacity() - 8L - dataAt;
        int end = 0;
        int prevStart = 0;
        UnsafeApi.putInt(offsetBase, offsetAddress, 0);
        for (int i = 0; i < n; i++) {
            int shared = (int) UnsafeApi.getLong(sharedBase, sharedAddress + ((long) i << 3));
            int from = UnsafeApi.getInt(suffixBase, suffixAddress + ((long) i << 2));
            int len = UnsafeApi.getInt(suffixBase, suffixAddress + ((long) (i + 1) << 2)) - from;
            // The shared bytes come from the previous value, which ends at or before end: a word
            // copy forward never overwrites a byte it still has to read.
            for (int k = 0; k < shared; k += 8) {
                UnsafeApi.putLong(dataBase, dataAddress + end + k, UnsafeApi.getLong(dataBase, dataAddress + prevStart + k));
            }
            long to = dataAddress + end + shared;
            if (len <= 8 && from <= srcWordLimit) {
                UnsafeApi.putLong(dataBase, to, UnsafeApi.getLong(srcBase, srcAddress + from));
            } else {
                UnsafeApi.copyMemory(srcBase, srcAddress + from, dataBase, to, len);
            }
            prevStart = end;
            end += shared + len;
            UnsafeApi.putInt(offsetBase, offsetAddress + ((long) (i + 1) << 2), end);
        }
        return end;
    }

    @Override
    public void close() {
        scratchA.close();
        scratchB.close();
    }
}
