package io.floe.changelog;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * CRC32C ({@link CRC32C}, intrinsified by the JDK) over native memory given by address, such as a
 * record inside a memory-mapped queue file, without allocating: one direct {@link ByteBuffer}
 * "window" is pointed at the address and handed to {@link CRC32C#update(ByteBuffer)}.
 *
 * <p>Memory: allocates nothing off-heap of its own. The window is a {@link ByteBuffer#duplicate()}
 * of one process-wide 1-byte direct buffer (owned and freed by the JDK's cleaner), so it has no
 * cleaner of its own; re-pointing it never frees anything. The memory hashed belongs to the
 * caller and must stay mapped for the duration of the call.
 *
 * <p>Threads: single owner; each appender and tailer keeps its own instance.
 */
final class NativeCrc32c {
    private static final ByteBuffer TEMPLATE = ByteBuffer.allocateDirect(1);
    private static final long CAPACITY_FIELD_OFFSET = UnsafeApi.objectFieldOffset(Buffer.class, "capacity");

    private final CRC32C crc = new CRC32C();
    private final ByteBuffer window = TEMPLATE.duplicate();

    NativeCrc32c() {
        // Plain writes to a buffer no other thread can see yet.
        UnsafeApi.putInt(window, CAPACITY_FIELD_OFFSET, Integer.MAX_VALUE);
    }

    /** Starts a new checksum. */
    void reset() {
        crc.reset();
    }

    /** Adds {@code length} bytes at native {@code address}. Requires: the range is readable memory. */
    void update(long address, int length) {
        UnsafeApi.putLong(window, BufferUtil.BYTE_BUFFER_ADDRESS_FIELD_OFFSET, address);
        window.limit(length).position(0);
        crc.update(window);
    }

    /** Adds {@code buffer[offset, offset+length)}, whether the buffer wraps an array or native memory. */
    void update(DirectBuffer buffer, int offset, int length) {
        buffer.boundsCheck(offset, length);
        byte[] array = buffer.byteArray();
        if (array != null) {
            crc.update(array, (int) (buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + offset, length);
        } else {
            update(buffer.addressOffset() + offset, length);
        }
    }

    /** Returns the checksum of everything added since {@link #reset()}. */
    int value() {
        return (int) crc.getValue();
    }

    /** Returns the CRC32C of {@code length} bytes at native {@code address}. */
    int checksum(long address, int length) {
        crc.reset();
        update(address, length);
        return (int) crc.getValue();
    }
}
