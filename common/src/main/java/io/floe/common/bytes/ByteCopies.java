package io.floe.common.bytes;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Copies between buffers, tuned for the short values (keys, strings of tens of bytes) that the
 * write and merge paths move one at a time: a copy of up to {@value #SHORT_COPY} bytes is done with
 * 8-byte loads and stores inline, which costs less than the call into {@code Unsafe.copyMemory}
 * that {@link MutableDirectBuffer#putBytes(int, DirectBuffer, int, int)} makes (a length that is
 * not a multiple of eight ends with one word or int overlapping the copied part, instead of a byte
 * loop); longer copies use it.
 *
 * <p>Threads: stateless; safe from any thread.
 */
public final class ByteCopies {
    /** The longest copy done inline. */
    public static final int SHORT_COPY = 64;

    private ByteCopies() {
    }

    /**
     * Copies {@code src[srcOff, srcOff+length)} to {@code dst[dstOff, dstOff+length)}. The ranges
     * must not overlap. Throws {@link IndexOutOfBoundsException} if a range lies outside its buffer.
     */
    public static void copy(DirectBuffer src, int srcOff, MutableDirectBuffer dst, int dstOff, int length) {
        if (length > SHORT_COPY) {
            dst.putBytes(dstOff, src, srcOff, length);
            return;
        }
        src.boundsCheck(srcOff, length);
        dst.boundsCheck(dstOff, length);
        Object from = src.byteArray();
        long fromAddr = src.addressOffset() + srcOff;
        Object to = dst.byteArray();
        long toAddr = dst.addressOffset() + dstOff;
        if (length >= Long.BYTES) {
            int i = 0;
            for (; i + Long.BYTES <= length; i += Long.BYTES) {
                UnsafeApi.putLong(to, toAddr + i, UnsafeApi.getLong(from, fromAddr + i));
            }
            if (i < length) {
                // The last eight bytes as one word, overlapping what the loop copied.
                int last = length - Long.BYTES;
                UnsafeApi.putLong(to, toAddr + last, UnsafeApi.getLong(from, fromAddr + last));
            }
            return;
        }
        int i = 0;
        if (length >= Integer.BYTES) {
            UnsafeApi.putInt(to, toAddr, UnsafeApi.getInt(from, fromAddr));
            int last = length - Integer.BYTES;
            UnsafeApi.putInt(to, toAddr + last, UnsafeApi.getInt(from, fromAddr + last));
            return;
        }
        for (; i < length; i++) {
            UnsafeApi.putByte(to, toAddr + i, UnsafeApi.getByte(from, fromAddr + i));
        }
    }
}
