package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.floe.common.error.CorruptionException;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.testing.HsErrCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages the reference file at every byte (one flipped byte at a time) and truncates it at every
 * length: each damaged file either reads exactly as the original or fails with a
 * {@link CorruptionException} naming the file, and never anything else. With
 * {@code -Dfloe.sst.fullSweep=true} every byte is also set to each of 0x00, 0xFF and its neighbours.
 */
class SstCorruptionTest {
    /** No JVM may crash on damaged bytes: a crash log in the module directory fails the class (see HsErrCheck). */
    @RegisterExtension
    static final HsErrCheck HS_ERR = new HsErrCheck();

    @TempDir
    Path dir;

    @Test
    void everyFlipAndTruncationReadsCorrectlyOrFailsWithCorruption() throws Exception {
        OffHeapAllocator allocator = new OffHeapAllocator("corruption", Long.MAX_VALUE);
        Path reference = dir.resolve("reference.sst");
        List<Entry> entries = ReferenceFile.entries(allocator);
        ReferenceFile.write(reference, allocator);
        String expected = ReferenceFile.readEverything(reference, entries, allocator);
        byte[] original = Files.readAllBytes(reference);
        Path damaged = dir.resolve("damaged.sst");
        boolean full = Boolean.getBoolean("floe.sst.fullSweep");
        int[] masks = full ? new int[] {0xFF, 0x01, 0x80, 0x10} : new int[] {0xFF};
        int corruptions = 0;
        int identical = 0;
        for (int offset = 0; offset < original.length; offset++) {
            for (int mask : masks) {
                byte[] bytes = original.clone();
                bytes[offset] ^= (byte) mask;
                Files.write(damaged, bytes);
                if (check(damaged, entries, expected, allocator, "byte " + offset + " ^ " + mask)) {
                    identical++;
                } else {
                    corruptions++;
                }
            }
        }
        for (int length = 0; length < original.length; length++) {
            Files.write(damaged, java.util.Arrays.copyOf(original, length));
            assertThat(check(damaged, entries, expected, allocator, "truncated to " + length)).as("truncated to " + length).isFalse();
        }
        System.out.println("[sweep] " + original.length + " bytes: " + corruptions + " flips detected, " + identical + " read identically");
        // Only the header's reserved word and page-entry padding may be ignored by a reader... and those are checked too.
        assertThat(identical).isLessThanOrEqualTo(4 * masks.length);
        allocator.assertNoLeaks();
    }

    /** Returns true iff the file reads as {@code expected}; false iff it fails with a corruption error. */
    private static boolean check(Path file, List<Entry> entries, String expected, OffHeapAllocator allocator, String what) {
        String actual = ReferenceFile.readOrCorruption(file, entries, allocator, what);
        if (actual == null) {
            return false;
        }
        if (!actual.equals(expected)) {
            fail(what + ": read different results without an error");
        }
        return true;
    }
}
