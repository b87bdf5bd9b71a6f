package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.Seeds;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The word-at-a-time packer against a bit-by-bit model of the layout, and read back by the unpacker. */
class BitPackingTest {
    @Test
    void packedBitsMatchTheLayoutAndReadBack() {
        SplittableRandom r = Seeds.random("BitPackingTest.packedBitsMatchTheLayoutAndReadBack");
        for (int round = 0; round < 600; round++) {
            int width = r.nextInt(65);
            int n = 1 + r.nextInt(300);
            boolean delta = n > 1 && r.nextBoolean();
            int from = delta ? 1 : r.nextInt(2) * Math.min(1, n - 1);
            long base = r.nextLong();
            long mask = width == 64 ? -1L : (1L << width) - 1;
            UnsafeBuffer src = new UnsafeBuffer(ByteBuffer.allocateDirect(n * 8));
            long[] packedValues = new long[n];
            long prev = r.nextLong();
            src.putLong(0, prev);
            for (int i = 1; i < n; i++) {
                long value = r.nextLong() & mask;
                long x = delta ? prev + value + base : value + base;
                src.putLong(i << 3, x);
                packedValues[i] = value;
                prev = x;
            }
            packedValues[0] = (src.getLong(0) - base) & mask;
            int bytes = (int) BitPacking.packedBytes(n - from, width);
            int at = r.nextInt(9);
            UnsafeBuffer dst = new UnsafeBuffer(new byte[at + bytes + 8]);
            dst.setMemory(0, dst.capacity(), (byte) 0xA5); // garbage the packer must overwrite
            BitPacking.packAll(src, from, n, base, width, delta, dst, at);
            // Model: value i - from at bits [(i - from) * width, ...), little-endian bit order.
            for (int i = from; i < n; i++) {
                for (int b = 0; b < width; b++) {
                    long bit = (long) (i - from) * width + b;
                    boolean expected = ((packedValues[i] >>> b) & 1) != 0;
                    boolean got = ((dst.getByte(at + (int) (bit >>> 3)) >>> (bit & 7)) & 1) != 0;
                    assertThat(got).as("round %d width %d value %d bit %d", round, width, i, b).isEqualTo(expected);
                }
                assertThat(BitPacking.get(dst, at, bytes, (long) (i - from) * width, width)).isEqualTo(packedValues[i]);
            }
            // Unused high bits of the last byte are zero, and nothing past the packed bytes was written.
            long used = (long) (n - from) * width;
            for (long bit = used; bit < (long) bytes * 8; bit++) {
                assertThat((dst.getByte(at + (int) (bit >>> 3)) >>> (bit & 7)) & 1).isZero();
            }
            assertThat(dst.getByte(at + bytes)).isEqualTo((byte) 0xA5);
        }
    }
}
