package io.floe.sst;

import io.floe.common.error.CorruptionException;
import org.agrona.DirectBuffer;

/**
 * A bounds-checked little-endian cursor over bytes read from a file: every read is checked against
 * the end of the block before it touches memory, and a read past the end, or a count or length out
 * of range, raises {@link CorruptionException} naming the file and the file offset.
 *
 * <p>Memory: does not own the buffer. Threads: single owner; a flyweight, re-aimed with {@link #wrap}.
 */
final class BlockReader {
    private final String file;
    private DirectBuffer buffer;
    private int start;
    private int position;
    private int end;
    private long fileOffset;
    private String block;

    BlockReader(String file) {
        this.file = file;
    }

    /**
     * Aims at {@code buffer[offset, offset + length)}, which was read from {@code fileOffset} of the
     * file and holds {@code block} (for messages).
     * Requires: the range lies within the buffer.
     */
    BlockReader wrap(DirectBuffer buffer, int offset, int length, long fileOffset, String block) {
        this.buffer = buffer;
        this.start = offset;
        this.position = offset;
        this.end = offset + length;
        this.fileOffset = fileOffset;
        this.block = block;
        return this;
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    /** Returns the file offset of the cursor. */
    long fileOffset() {
        return fileOffset + (position - start);
    }

    DirectBuffer buffer() {
        return buffer;
    }

    /** Advances past {@code n} bytes and returns where they start. Throws if fewer remain. */
    int take(long n) {
        if (n < 0 || n > end - position) {
            throw corrupt(block + " needs " + n + " more bytes but has " + (end - position));
        }
        int at = position;
        position += (int) n;
        return at;
    }

    int u8() {
        return buffer.getByte(take(1)) & 0xFF;
    }

    int u16() {
        return buffer.getShort(take(2)) & 0xFFFF;
    }

    int i32() {
        return buffer.getInt(take(4));
    }

    long i64() {
        return buffer.getLong(take(8));
    }

    /** Reads a u32 that must lie in {@code [min, max]}; {@code what} names it in the error. */
    int u32(String what, long min, long max) {
        long at = fileOffset();
        long v = buffer.getInt(take(4)) & 0xFFFFFFFFL;
        if (v < min || v > max) {
            throw new CorruptionException(file, at, block + ": " + what + " " + v + " is outside [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    /** Reads a u64 that must lie in {@code [min, max]}. */
    long u64(String what, long min, long max) {
        long at = fileOffset();
        long v = buffer.getLong(take(8));
        if (v < min || v > max) {
            throw new CorruptionException(file, at, block + ": " + what + " " + Long.toUnsignedString(v) + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    /** Reads {@code length} bytes into a new array. */
    byte[] bytes(int length) {
        byte[] out = new byte[length];
        buffer.getBytes(take(length), out);
        return out;
    }

    /** Throws unless the block was read to its end. */
    void expectEnd() {
        if (position != end) {
            throw corrupt(block + " has " + (end - position) + " unexpected bytes at its end");
        }
    }

    CorruptionException corrupt(String what) {
        return new CorruptionException(file, fileOffset(), what);
    }
}
