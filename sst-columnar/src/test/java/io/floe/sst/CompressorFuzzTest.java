package io.floe.sst;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.floe.common.error.CorruptionException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fuzz targets for page decompression ({@link Compressor}, LZ4 and Zstd). Input layout of
 * {@link #decompress}: {@code u8 codec (mod 3), u8 source offset, u32 declared raw length (LE, low
 * 20 bits, at least 1), stored bytes...}. Whatever the stored bytes and the declared length, the
 * page either decompresses to exactly that length or fails with {@link CorruptionException}; the
 * decompressor must not write one byte outside its destination range (guard bytes on both sides
 * are checked) nor read outside the source range. {@link #roundTrip} checks that what is
 * compressed decompresses to the same bytes.
 *
 * <p>Seeds: {@code src/test/resources/io/floe/sst/CompressorFuzzTestInputs/<method>/} (written by
 * {@link FuzzSeeds}). Fuzz with {@code mvn -Pfuzz -pl sst-columnar test -Dtest='CompressorFuzzTest#decompress'}.
 */
class CompressorFuzzTest {
    private static final int GUARD = 64;
    private static final byte GUARD_BYTE = (byte) 0xA5;
    private static final int HEADER = 6;

    private static final OffHeapAllocator ALLOCATOR = new OffHeapAllocator("compressor-fuzz", Long.MAX_VALUE);
    private static final Compressor COMPRESSOR = new Compressor(3);

    @FuzzTest(maxDuration = "5m")
    void decompress(byte[] data) {
        if (data.length <= HEADER) {
            return;
        }
        Codec codec = Codec.values()[(data[0] & 0xFF) % 3];
        int srcPad = data[1] & 0xFF;
        int rawLength = Math.max(1, (data[2] & 0xFF) | (data[3] & 0xFF) << 8 | (data[4] & 0x0F) << 16);
        int storedLength = data.length - HEADER;
        // Source: the stored bytes at srcPad within a view that starts GUARD bytes into its block and ends with them.
        try (OffHeapBlock srcBlock = ALLOCATOR.allocate(MemoryPurpose.COMPRESSION, GUARD + srcPad + storedLength + GUARD);
             OffHeapBlock dstBlock = ALLOCATOR.allocate(MemoryPurpose.COMPRESSION, GUARD + rawLength + GUARD)) {
            UnsafeBuffer srcAll = srcBlock.buffer();
            srcAll.setMemory(0, srcAll.capacity(), GUARD_BYTE);
            srcAll.putBytes(GUARD + srcPad, data, HEADER, storedLength);
            UnsafeBuffer src = new UnsafeBuffer(srcBlock.byteBuffer(), GUARD, srcPad + storedLength);
            UnsafeBuffer dstAll = dstBlock.buffer();
            dstAll.setMemory(0, dstAll.capacity(), GUARD_BYTE);
            try {
                COMPRESSOR.decompress(codec, src, srcPad, storedLength, dstAll, GUARD, rawLength, "fuzz.sst", 4096);
            } catch (CorruptionException expected) {
                if (!expected.file().equals("fuzz.sst")) {
                    throw new AssertionError("corruption error does not name the file: " + expected, expected);
                }
            }
            checkGuard(dstAll, 0, GUARD, "before the destination");
            checkGuard(dstAll, GUARD + rawLength, GUARD, "after the destination");
            byte[] stored = new byte[storedLength];
            srcAll.getBytes(GUARD + srcPad, stored);
            if (!Arrays.equals(stored, 0, storedLength, data, HEADER, data.length)) {
                throw new AssertionError(codec + " decompression modified its source");
            }
        }
    }

    @FuzzTest(maxDuration = "2m")
    void roundTrip(byte[] data) {
        if (data.length == 0) {
            return;
        }
        Codec codec = Codec.values()[(data[0] & 0xFF) % 3];
        int length = data.length - 1;
        if (length == 0) {
            return;
        }
        int max = (int) COMPRESSOR.maxCompressedLength(codec, length);
        try (OffHeapBlock raw = ALLOCATOR.allocate(MemoryPurpose.COMPRESSION, length);
             OffHeapBlock packed = ALLOCATOR.allocate(MemoryPurpose.COMPRESSION, max);
             OffHeapBlock back = ALLOCATOR.allocate(MemoryPurpose.COMPRESSION, length)) {
            raw.buffer().putBytes(0, data, 1, length);
            int stored = COMPRESSOR.compress(codec, raw.buffer(), 0, length, packed.buffer(), 0);
            COMPRESSOR.decompress(codec, packed.buffer(), 0, stored, back.buffer(), 0, length, "roundtrip", 0);
            byte[] out = new byte[length];
            back.buffer().getBytes(0, out);
            if (!Arrays.equals(out, 0, length, data, 1, data.length)) {
                throw new AssertionError(codec + " round trip changed " + length + " bytes");
            }
        }
    }

    private static void checkGuard(UnsafeBuffer b, int from, int length, String where) {
        for (int i = from; i < from + length; i++) {
            if (b.getByte(i) != GUARD_BYTE) {
                throw new AssertionError("decompression wrote byte " + (i - GUARD) + " " + where);
            }
        }
    }
}
