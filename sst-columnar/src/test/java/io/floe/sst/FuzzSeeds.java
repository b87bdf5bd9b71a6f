package io.floe.sst;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.schema.TypeRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Writes the seed inputs of {@link SstReaderFuzzTest} and {@link CompressorFuzzTest} into
 * {@code src/test/resources} (run from the module directory):
 * {@code mvn -B -o test -pl sst-columnar -Dtest=FuzzSeeds -Dfloe.test.jvm.extra=-Dfloe.fuzz.writeSeeds=true}.
 * Skipped otherwise. The seeds are small, real, deterministic files: every codec, several row groups
 * and pages, nulls, and each page encoding (plain, FOR, delta, RLE, dictionary, prefix).
 */
class FuzzSeeds {
    private static final Path RESOURCES = Path.of("src/test/resources/io/floe/sst");

    @Test
    void write() throws IOException {
        assumeTrue(Boolean.getBoolean("floe.fuzz.writeSeeds"), "set -Dfloe.fuzz.writeSeeds=true to rewrite the fuzz seeds");
        OffHeapAllocator allocator = new OffHeapAllocator("seeds", Long.MAX_VALUE);
        Path tmp = Files.createTempDirectory("seeds");
        SstOptions small = SstOptions.defaults().withPage(1024, 16).withRowGroup(20, 64 << 10).withBloomBitsPerKey(8);
        Schema wide = Schema.builder().column("id", "BIGINT NOT NULL").column("name", "STRING").column("ok", "BOOLEAN").column("n", "INT")
                .column("f", "FLOAT").column("d", "DOUBLE").column("price", "DECIMAL(30, 4)").column("small", "DECIMAL(9, 2)")
                .column("day", "DATE").column("ts", "TIMESTAMP(9)").column("ms", "TIMESTAMP(3)").column("raw", "BYTES").primaryKey("id").build();
        Schema strings = Schema.builder().column("k", "STRING NOT NULL").column("v", "STRING").column("n", "BIGINT").primaryKey("k").build();
        Schema twoKeys = Schema.builder().column("a", ColumnType.of(TypeRoot.BIGINT).notNull()).column("b", "STRING NOT NULL").column("x", "BIGINT")
                .primaryKey("a", "b").build();
        byte[][] ssts = {
            sst(tmp, "reference", allocator, null, null, 0, 0),
            sst(tmp, "wide-none", allocator, wide, small.withCodec(Codec.NONE), 1, 24),
            sst(tmp, "strings-none", allocator, strings, small.withCodec(Codec.NONE).withDictionaryMaxRatio(1), 2, 30),
            sst(tmp, "twokeys-none", allocator, twoKeys, small.withCodec(Codec.NONE).withBloomBitsPerKey(0), 3, 20),
            sst(tmp, "wide-lz4", allocator, wide, small.withCodec(Codec.LZ4), 4, 12),
            sst(tmp, "strings-zstd", allocator, strings, small.withCodec(Codec.ZSTD), 5, 20),
            sst(tmp, "tiny-none", allocator, strings, small.withCodec(Codec.NONE).withBloomBitsPerKey(0), 6, 1),
        };
        String[] names = {"reference", "wide-none", "strings-none", "twokeys-none", "wide-lz4", "strings-zstd", "tiny-none"};
        for (String method : List.of("rawFile", "fixedChecksums")) {
            for (int i = 0; i < ssts.length; i++) {
                save("SstReaderFuzzTestInputs/" + method + "/seed-" + names[i], ssts[i]);
            }
        }
        byte[] text = "floe floe floe: a stream frozen into a table, a table frozen into pages; pages of pages of pages."
                .repeat(4).getBytes(StandardCharsets.UTF_8);
        try (Compressor c = new Compressor(3)) {
            for (Codec codec : Codec.values()) {
                save("CompressorFuzzTestInputs/decompress/seed-" + codec.name().toLowerCase(), compressedSeed(c, codec, text, allocator));
                byte[] plain = new byte[1 + 40];
                plain[0] = codec.id();
                System.arraycopy(text, 0, plain, 1, 40);
                save("CompressorFuzzTestInputs/roundTrip/seed-" + codec.name().toLowerCase(), plain);
            }
        }
        allocator.assertNoLeaks();
    }

    private static byte[] sst(Path dir, String name, OffHeapAllocator allocator, Schema schema, SstOptions options, long seed, int keys)
            throws IOException {
        Path path = dir.resolve(name + ".sst");
        if (schema == null) {
            ReferenceFile.write(path, allocator);
        } else {
            SplittableRandom r = new SplittableRandom(seed);
            TestData.write(path, schema, options, TestData.randomEntries(r, schema, keys, allocator), allocator);
        }
        return Files.readAllBytes(path);
    }

    /** Returns {@code codec, pad 0, raw length (3 bytes LE), 0, compressed text}: the input layout of {@link CompressorFuzzTest#decompress}. */
    private static byte[] compressedSeed(Compressor c, Codec codec, byte[] text, OffHeapAllocator allocator) {
        int max = (int) c.maxCompressedLength(codec, text.length);
        try (OffHeapBlock raw = allocator.allocate(MemoryPurpose.COMPRESSION, text.length);
             OffHeapBlock packed = allocator.allocate(MemoryPurpose.COMPRESSION, max)) {
            raw.buffer().putBytes(0, text);
            int stored = c.compress(codec, raw.buffer(), 0, text.length, packed.buffer(), 0);
            byte[] out = new byte[6 + stored];
            out[0] = codec.id();
            out[2] = (byte) text.length;
            out[3] = (byte) (text.length >>> 8);
            out[4] = (byte) (text.length >>> 16);
            packed.buffer().getBytes(0, out, 6, stored);
            return out;
        }
    }

    private static void save(String relative, byte[] bytes) throws IOException {
        Path path = RESOURCES.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.write(path, bytes);
        System.out.println("[seeds] " + path + ": " + bytes.length + " bytes");
    }
}
