package io.floe.common.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.Seeds;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ByteComparisonsTest {
    @Test
    void agreesWithUnsignedArrayComparisonOnHeapAndOffHeap() {
        SplittableRandom r = Seeds.random("ByteComparisonsTest.agrees");
        for (int i = 0; i < 20_000; i++) {
            byte[] a = randomBytes(r);
            byte[] b = r.nextInt(3) == 0 ? a.clone() : randomBytes(r);
            if (r.nextBoolean() && b.length > 0) {
                b = Arrays.copyOf(a, Math.min(a.length, r.nextInt(b.length + 1))); // prefixes
            }
            int expected = Integer.signum(Arrays.compareUnsigned(a, b));
            assertThat(Integer.signum(ByteComparisons.compare(a, b))).isEqualTo(expected);
            ByteBuffer direct = ByteBuffer.allocateDirect(a.length + 5);
            UnsafeBuffer off = new UnsafeBuffer(direct);
            off.putBytes(5, a);
            UnsafeBuffer heap = new UnsafeBuffer(new byte[b.length + 1]);
            heap.putBytes(1, b);
            assertThat(Integer.signum(ByteComparisons.compare(off, 5, a.length, heap, 1, b.length))).isEqualTo(expected);
            int mismatch = Arrays.mismatch(a, b);
            int expectedPrefix = mismatch < 0 ? a.length : mismatch;
            assertThat(ByteComparisons.commonPrefix(off, 5, a.length, heap, 1, b.length)).isEqualTo(expectedPrefix);
            assertThat(ByteComparisons.equal(off, 5, a.length, heap, 1, b.length)).isEqualTo(Arrays.equals(a, b));
            long pa = ByteComparisons.prefix8(off, 5, a.length);
            long pb = ByteComparisons.prefix8(heap, 1, b.length);
            if (pa != pb) {
                assertThat(Integer.signum(Long.compareUnsigned(pa, pb))).as("prefixes of %s and %s", Arrays.toString(a), Arrays.toString(b))
                        .isEqualTo(expected);
            }
            assertThat(pa).isEqualTo(ByteComparisons.prefix8(new UnsafeBuffer(a), 0, a.length));
        }
    }

    @Test
    void copiesOfEveryLengthLandExactlyWhereAsked() {
        SplittableRandom r = Seeds.random("ByteComparisonsTest.copies");
        for (int i = 0; i < 5_000; i++) {
            byte[] src = new byte[r.nextInt(1, 200)];
            r.nextBytes(src);
            int srcOff = r.nextInt(src.length);
            int length = r.nextInt(src.length - srcOff + 1);
            int dstOff = r.nextInt(10);
            UnsafeBuffer from = r.nextBoolean() ? new UnsafeBuffer(src) : direct(src);
            byte[] expected = new byte[dstOff + length + 9];
            Arrays.fill(expected, (byte) 0x5A);
            System.arraycopy(src, srcOff, expected, dstOff, length);
            UnsafeBuffer to = r.nextBoolean() ? new UnsafeBuffer(new byte[expected.length]) : new UnsafeBuffer(ByteBuffer.allocateDirect(expected.length));
            to.setMemory(0, expected.length, (byte) 0x5A);
            ByteCopies.copy(from, srcOff, to, dstOff, length);
            byte[] got = new byte[expected.length];
            to.getBytes(0, got);
            assertThat(got).as("length %d", length).isEqualTo(expected);
        }
        UnsafeBuffer small = new UnsafeBuffer(new byte[8]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ByteCopies.copy(small, 4, new UnsafeBuffer(new byte[16]), 0, 8))
                .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ByteCopies.copy(small, 0, new UnsafeBuffer(new byte[4]), 0, 8))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static UnsafeBuffer direct(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
        b.put(bytes).clear();
        return new UnsafeBuffer(b);
    }

    private static byte[] randomBytes(SplittableRandom r) {
        byte[] bytes = new byte[r.nextInt(0, 40)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt(2) * 0x80); // many ties and sign-bit bytes
        }
        return bytes;
    }

    @Test
    void hasherAgreesWithCrc32cOnEveryKindOfBuffer() {
        SplittableRandom r = Seeds.random("ByteComparisonsTest.hasher");
        Checksums.Hasher hasher = new Checksums.Hasher();
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = randomBytes(r);
            int off = bytes.length == 0 ? 0 : r.nextInt(bytes.length);
            int len = bytes.length - off;
            CRC32C crc = new CRC32C();
            crc.update(bytes, off, len);
            int expected = (int) crc.getValue();
            assertThat(hasher.hash(new UnsafeBuffer(bytes), off, len)).isEqualTo(expected);
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
            direct.put(bytes).clear();
            assertThat(hasher.hash(new UnsafeBuffer(direct), off, len)).isEqualTo(expected);
            assertThat(Checksums.crc32c(bytes, off, len)).isEqualTo(expected);
        }
    }
}
