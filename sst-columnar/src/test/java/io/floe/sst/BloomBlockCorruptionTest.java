package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.CorruptionException;
import io.floe.common.memory.OffHeapAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bloom blocks that are well-formed for one format version and not the other, with every checksum
 * recomputed ({@link SstChecksumFixer}) so that only the reader's version-specific checks can catch
 * them: each must be a {@link CorruptionException} naming the file and the bloom block's offset.
 */
class BloomBlockCorruptionTest {
    @TempDir
    Path dir;
    final OffHeapAllocator allocator = new OffHeapAllocator("bloom-corruption", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    /** Writes the reference file, applies {@code damage} to its bytes (with the first bloom block's offset), fixes checksums, opens it. */
    private void openDamaged(Path source, String name, java.util.function.BiConsumer<ByteBuffer, Integer> damage, Consumer<Throwable> check)
            throws IOException {
        long bloomAt;
        try (SstReader reader = SstReader.open(source, allocator)) {
            bloomAt = reader.footer.rowGroups()[0].bloomOffset();
        }
        byte[] bytes = Files.readAllBytes(source);
        damage.accept(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), (int) bloomAt);
        SstChecksumFixer.fix(bytes);
        Path path = dir.resolve(name);
        Files.write(path, bytes);
        assertThatThrownBy(() -> SstReader.open(path, allocator).close()).isInstanceOf(CorruptionException.class).satisfies(check);
    }

    private Path current() {
        Path path = dir.resolve("v2.sst");
        if (!Files.exists(path)) {
            ReferenceFile.write(path, allocator);
        }
        return path;
    }

    @Test
    void versionTwoBloomWithPartialBlockIsCorruption() throws IOException {
        // One block (8 words) in a 72-byte bloom block; 7 words would leave a partial block.
        openDamaged(current(), "partial.sst", (b, at) -> {
            assertThat(b.getInt(at + 4)).isEqualTo(8);
            b.putInt(at + 4, 7);
        }, e -> assertThat(e).hasMessageContaining("partial.sst at offset").hasMessageContaining("bloom words 7 is outside [8, 8]"));
    }

    @Test
    void versionTwoBloomWithTooManyProbesIsCorruption() throws IOException {
        openDamaged(current(), "probes.sst", (b, at) -> b.putInt(at, BlockedBloomFilter.MAX_PROBES + 1),
                e -> assertThat(e).hasMessageContaining("bloom probes 17"));
    }

    @Test
    void versionOneFileClaimingVersionTwoIsCorruption() throws IOException {
        // The v1 fixture's first bloom block has 5 words: fewer than one block of 8.
        Path v1 = V1FileTest.copyFixture(dir);
        openDamaged(v1, "claims-v2.sst", (b, at) -> {
            b.putInt(SstLayout.HEADER_VERSION_OFFSET, 2);
            b.putInt(b.capacity() - SstLayout.TRAILER_BYTES + SstLayout.TRAILER_VERSION, 2);
        }, e -> assertThat(e).hasMessageContaining("claims-v2.sst at offset").hasMessageContaining("bloom words 5 is outside [8, 5]"));
    }

    @Test
    void headerAndTrailerVersionsMustAgree() throws IOException {
        openDamaged(current(), "disagree.sst", (b, at) -> b.putInt(SstLayout.HEADER_VERSION_OFFSET, 1),
                e -> assertThat(((CorruptionException) e).getMessage()).contains("header says format version 1, trailer says " + SstLayout.VERSION));
    }
}
