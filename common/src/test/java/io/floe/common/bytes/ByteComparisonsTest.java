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
            int prefix = ByteComparisons.commonPrefix(off, 5, a.length, heap, 1, b.length);
            assertThat(Arrays.equals(a, 0, prefix, b, 0, prefix)).isTrue();
        }
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
