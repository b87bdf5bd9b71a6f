package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.OffHeapAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of SST format version 1 (the first format, with the bit-scattered bloom filter) stay
 * readable: {@code v1/reference.sst} is {@link ReferenceFile} as the version-1 writer wrote it
 * (generated at commit time by {@link #writeFixture}, before the writer moved to version 2), read
 * here by the current reader against the model and against a freshly written file.
 */
class V1FileTest {
    static final String FIXTURE = "v1/reference.sst";

    @TempDir
    Path dir;
    final OffHeapAllocator allocator = new OffHeapAllocator("v1", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    /**
     * Regenerates the fixture from the current writer; only meaningful with a version-1 writer. Run with
     * {@code mvn -B -o test -pl sst-columnar -Dtest=V1FileTest#writeFixture -Dfloe.test.jvm.extra=-Dfloe.sst.writeV1Fixture=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "floe.sst.writeV1Fixture", matches = "true")
    void writeFixture() throws IOException {
        Path target = Path.of("src/test/resources/io/floe/sst").resolve(FIXTURE);
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        ReferenceFile.write(target, allocator);
    }

    static Path copyFixture(Path dir) throws IOException {
        Path path = dir.resolve("v1.sst");
        try (InputStream in = V1FileTest.class.getResourceAsStream(FIXTURE)) {
            assertThat(in).as("test resource " + FIXTURE).isNotNull();
            Files.copy(in, path);
        }
        return path;
    }
}
