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
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of SST format version 2 (blocked bloom filters, no footer {@code keys} byte) stay readable,
 * with {@link SstMetadata.KeyMultiplicity#UNKNOWN}: {@code v2/reference.sst} is {@link ReferenceFile}
 * as the version-2 writer wrote it. Version 3 only appended the {@code keys} byte to the footer, so
 * {@link #writeFixture} makes it from a version-3 file by dropping that byte, writing version 2 and
 * recomputing the footer and trailer checksums; it checks that the header and trailer it gets are
 * byte for byte those of the version-2 writer's reference file (its golden {@code sst-layout.txt}
 * before version 3): the trailer's checksums cover the whole footer.
 */
class V2FileTest {
    static final String FIXTURE = "v2/reference.sst";
    /** The last 32 bytes of the reference file as the version-2 writer wrote it. */
    static final String V2_TRAILER = "f01600000000000078020000e8fa8dff020000009adc812e464c4f4553535400";

    @TempDir
    Path dir;
    final OffHeapAllocator allocator = new OffHeapAllocator("v2", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    /**
     * Regenerates the fixture. Run with
     * {@code mvn -B -o test -pl sst-columnar -Dtest=V2FileTest#writeFixture -Dfloe.test.jvm.extra=-Dfloe.sst.writeV2Fixture=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "floe.sst.writeV2Fixture", matches = "true")
    void writeFixture() throws IOException {
        Path current = dir.resolve("current.sst");
        ReferenceFile.write(current, allocator);
        byte[] v2 = withoutKeysByte(Files.readAllBytes(current), 2);
        assertThat(HexFormat.of().formatHex(v2, v2.length - SstLayout.TRAILER_BYTES, v2.length)).isEqualTo(V2_TRAILER);
        Path target = Path.of("src/test/resources/io/floe/sst").resolve(FIXTURE);
        Files.createDirectories(target.getParent());
        Files.write(target, v2);
    }

    /** Returns a version-3 file as {@code version} (1 or 2) lays it out: without the footer's last byte, checksums recomputed. */
    static byte[] withoutKeysByte(byte[] v3, int version) {
        ByteBuffer in = ByteBuffer.wrap(v3).order(ByteOrder.LITTLE_ENDIAN);
        int trailerAt = v3.length - SstLayout.TRAILER_BYTES;
        long footerOffset = in.getLong(trailerAt + SstLayout.TRAILER_FOOTER_OFFSET);
        int footerLength = in.getInt(trailerAt + SstLayout.TRAILER_FOOTER_LENGTH);
        assertThat(footerOffset + footerLength).isEqualTo(trailerAt);
        byte[] out = new byte[v3.length - 1];
        System.arraycopy(v3, 0, out, 0, trailerAt - 1);
        System.arraycopy(v3, trailerAt, out, trailerAt - 1, SstLayout.TRAILER_BYTES);
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SstLayout.HEADER_VERSION_OFFSET, version);
        b.putInt(trailerAt - 1 + SstLayout.TRAILER_FOOTER_LENGTH, footerLength - 1);
        b.putInt(trailerAt - 1 + SstLayout.TRAILER_VERSION, version);
        SstChecksumFixer.fix(out);
        return out;
    }

    @Test
    void versionTwoFileIsReadByVersionWithKeysUnknown() throws IOException {
        Path path = copyFixture(dir);
        byte[] bytes = Files.readAllBytes(path);
        assertThat(HexFormat.of().formatHex(bytes, bytes.length - SstLayout.TRAILER_BYTES, bytes.length)).isEqualTo(V2_TRAILER);
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(SstLayout.HEADER_VERSION_OFFSET)).isEqualTo(2);
        try (SstReader reader = SstReader.open(path, allocator)) {
            assertThat(reader.version()).isEqualTo(2);
            assertThat(reader.metadata().keys()).isEqualTo(SstMetadata.KeyMultiplicity.UNKNOWN);
            assertThat(SstDump.describe(reader)).startsWith("file " + bytes.length + " bytes, version 2\n")
                    .contains("], key multiplicity UNKNOWN\n").contains("bloom @");
        }
    }

    /** Everything the reader offers reads the same as in a new (version-3) file, whose keys are REPEATED. */
    @Test
    void versionTwoFileReadsAsTheModelAndAsANewFile() throws IOException {
        Path v2 = copyFixture(dir);
        Path current = dir.resolve("current.sst");
        ReferenceFile.write(current, allocator);
        List<Entry> entries = ReferenceFile.entries(allocator);
        try (SstReader reader = SstReader.open(v2, allocator); SstReader now = SstReader.open(current, allocator)) {
            assertThat(SstModelTest.readAll(reader)).containsExactlyElementsOf(entries);
            assertThat(now.metadata().keys()).isEqualTo(SstMetadata.KeyMultiplicity.REPEATED);
            assertThat(reader.metadata().stats()).isEqualTo(now.metadata().stats());
        }
        String expected = ReferenceFile.readEverything(current, entries, allocator);
        assertThat(ReferenceFile.readEverything(v2, entries, allocator)).isEqualTo(expected);
    }

    /** A version-2 file that claims version 3 lacks the keys byte: corruption at the footer's end. */
    @Test
    void versionTwoFileClaimingVersionThreeIsCorruption() throws IOException {
        byte[] bytes = Files.readAllBytes(copyFixture(dir));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SstLayout.HEADER_VERSION_OFFSET, 3);
        b.putInt(bytes.length - SstLayout.TRAILER_BYTES + SstLayout.TRAILER_VERSION, 3);
        SstChecksumFixer.fix(bytes);
        Path path = dir.resolve("claims-v3.sst");
        Files.write(path, bytes);
        assertThatThrownBy(() -> SstReader.open(path, allocator).close()).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("claims-v3.sst at offset").hasMessageContaining("needs 1 more bytes but has 0");
    }

    static Path copyFixture(Path dir) throws IOException {
        return ReferenceFile.copyResource(FIXTURE, dir.resolve("v2.sst"));
    }
}
