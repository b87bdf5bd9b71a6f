package io.floe.common.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.Seeds;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * A checksum is the same whatever holds the bytes: an array, a direct ByteBuffer, or a buffer over
 * a raw address (as memtable rows and keys are, which scans may return in place).
 */
class ChecksumsTest {
    @Test
    void arrayByteBufferAndRawAddressGiveTheSameChecksum() {
        SplittableRandom r = Seeds.random("ChecksumsTest.sameChecksum");
        ByteBuffer direct = ByteBuffer.allocateDirect(20_000);
        UnsafeBuffer overBuffer = new UnsafeBuffer(direct);
        UnsafeBuffer overAddress = new UnsafeBuffer(BufferUtil.address(direct), direct.capacity());
        Checksums.Hasher hasher = new Checksums.Hasher();
        for (int i = 0; i < 500; i++) {
            byte[] bytes = new byte[r.nextInt(1, 20_000)];
            r.nextBytes(bytes);
            int off = r.nextInt(bytes.length);
            int len = r.nextInt(bytes.length - off + 1);
            overBuffer.putBytes(0, bytes);
            CRC32C model = new CRC32C();
            model.update(bytes, off, len);
            int expected = (int) model.getValue();
            assertThat(Checksums.crc32c(bytes, off, len)).isEqualTo(expected);
            assertThat(hasher.hash(new UnsafeBuffer(bytes), off, len)).isEqualTo(expected);
            assertThat(hasher.hash(overBuffer, off, len)).isEqualTo(expected);
            assertThat(hasher.hash(overAddress, off, len)).as("raw address, %d bytes at %d", len, off).isEqualTo(expected);
            assertThat(Checksums.crc32c(overAddress, off, len)).isEqualTo(expected);
        }
    }
}
