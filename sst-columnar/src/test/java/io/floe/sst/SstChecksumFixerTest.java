package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.error.CorruptionException;
import io.floe.common.memory.OffHeapAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fuzzing aid {@link SstChecksumFixer} must leave a good file alone and make mutated pages pass their checksums. */
class SstChecksumFixerTest {
    @TempDir
    Path dir;

    @Test
    void leavesAGoodFileAloneAndLetsEveryPageMutationPastTheChecksums() throws Exception {
        OffHeapAllocator allocator = new OffHeapAllocator("fixer", Long.MAX_VALUE);
        Path reference = dir.resolve("reference.sst");
        ReferenceFile.write(reference, allocator);
        byte[] original = Files.readAllBytes(reference);
        byte[] fixed = original.clone();
        SstChecksumFixer.fix(fixed);
        assertThat(fixed).isEqualTo(original);

        long dataEnd;
        try (SstReader reader = SstReader.open(reference, allocator)) {
            dataEnd = reader.footer.rowGroups()[0].dataEnd();
        }
        Path damaged = dir.resolve("damaged.sst");
        java.util.List<Entry> entries = ReferenceFile.entries(allocator);
        int decoded = 0;
        for (int offset = SstLayout.HEADER_BYTES; offset < dataEnd; offset += 3) {
            byte[] bytes = original.clone();
            bytes[offset] ^= 0x21;
            SstChecksumFixer.fix(bytes);
            Files.write(damaged, bytes);
            try {
                ReferenceFile.readEverything(damaged, entries, allocator);
                decoded++;
            } catch (CorruptionException e) {
                assertThat(e.getMessage()).as("flip at " + offset).doesNotContain("checksum");
            }
        }
        assertThat(decoded).as("mutated pages read without an error").isPositive();
        allocator.assertNoLeaks();
    }
}
