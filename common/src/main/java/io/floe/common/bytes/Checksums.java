package io.floe.common.bytes;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;

/**
 * CRC32C checksums, the one checksum of every Floe block and record ({@link CRC32C}, hardware
 * accelerated by the JDK).
 *
 * <p>Threads: the static methods allocate a {@link CRC32C} per call and are safe anywhere; for hot
 * paths a single owner keeps a {@link Hasher} and reuses it.
 */
public final class Checksums {
    private Checksums() {
    }

    /** Returns the CRC32C of {@code bytes[off, off+len)}. */
    public static int crc32c(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        return (int) crc.getValue();
    }

    /** Returns the CRC32C of {@code buffer[off, off+len)}; see {@link Hasher#hash}. */
    public static int crc32c(DirectBuffer buffer, int off, int len) {
        return new Hasher().hash(buffer, off, len);
    }

    /**
     * A reusable CRC32C calculator: allocates nothing per call after the first use of a buffer.
     *
     * <p>Threads: single owner.
     */
    public static final class Hasher {
        private final CRC32C crc = new CRC32C();
        private ByteBuffer lastSource;
        private ByteBuffer view;
        /** For buffers over a raw address, which CRC32C cannot read directly; made on first need. */
        private byte[] scratch;

        /**
         * Returns the CRC32C of {@code buffer[off, off+len)}: of an array or a ByteBuffer in place,
         * of a buffer over a raw address (a memtable's arena) through a 4 KiB heap copy at a time.
         *
         * <p>Throws {@link IndexOutOfBoundsException} if the range lies outside the buffer.
         */
        public int hash(DirectBuffer buffer, int off, int len) {
            buffer.boundsCheck(off, len);
            crc.reset();
            byte[] array = buffer.byteArray();
            if (array != null) {
                crc.update(array, (int) (buffer.addressOffset() - org.agrona.BufferUtil.ARRAY_BASE_OFFSET) + off, len);
            } else {
                ByteBuffer source = buffer.byteBuffer();
                if (source == null) {
                    if (scratch == null) {
                        scratch = new byte[4096];
                    }
                    for (int done = 0; done < len; ) {
                        int n = Math.min(scratch.length, len - done);
                        buffer.getBytes(off + done, scratch, 0, n);
                        crc.update(scratch, 0, n);
                        done += n;
                    }
                    return (int) crc.getValue();
                }
                if (source != lastSource) {
                    lastSource = source;
                    view = source.duplicate();
                }
                int base = (int) (buffer.addressOffset() - org.agrona.BufferUtil.address(source));
                view.limit(base + off + len).position(base + off);
                crc.update(view);
            }
            return (int) crc.getValue();
        }

        /** Returns the CRC32C of {@code bytes[off, off+len)}. */
        public int hash(byte[] bytes, int off, int len) {
            crc.reset();
            crc.update(bytes, off, len);
            return (int) crc.getValue();
        }

        /** Returns the CRC32C of the remaining bytes of {@code buffer}; its position moves to its limit. */
        public int hash(ByteBuffer buffer) {
            crc.reset();
            crc.update(buffer);
            return (int) crc.getValue();
        }
    }
}
