package io.floe.kernel.manifest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Writes the seed inputs of {@link ManifestFuzzTest} into {@code src/test/resources} (run from the
 * module directory): {@code mvn -B -o test -pl kernel -Dtest=ManifestFuzzSeeds -Dfloe.test.jvm.extra=-Dfloe.fuzz.writeSeeds=true}.
 * Skipped otherwise. Seeds are real manifest logs of a few flushes and compactions (deterministic),
 * and their record payloads.
 */
class ManifestFuzzSeeds {
    private static final Path RESOURCES = Path.of("src/test/resources/io/floe/kernel/manifest/ManifestFuzzTestInputs");

    @Test
    void write() throws IOException {
        assumeTrue(Boolean.getBoolean("floe.fuzz.writeSeeds"), "set -Dfloe.fuzz.writeSeeds=true to rewrite the fuzz seeds");
        Path tmp = Files.createTempDirectory("manifest-seeds");
        for (int seed = 0; seed < 3; seed++) {
            byte[] log = log(tmp.resolve("m" + seed), seed, 2 + 3 * seed);
            save("manifestLog/seed-" + seed, log);
            save("manifestLogFixedChecksums/seed-" + seed, log);
            ByteBuffer b = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN);
            int at = ManifestLayout.FILE_HEADER_BYTES;
            for (int record = 0; at < log.length; record++) {
                int length = b.getInt(at + 4);
                int payloadAt = at + ManifestLayout.RECORD_HEADER_BYTES;
                if (record == 0 || record == 2 || record == 5) {
                    save("versionEdit/seed-" + seed + "-" + record, Arrays.copyOfRange(log, payloadAt, payloadAt + length));
                }
                at = payloadAt + length;
            }
        }
    }

    /** Returns the live log of a manifest after {@code edits} random edits. */
    private static byte[] log(Path dir, long seed, int edits) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        ManifestTestSupport.Model model = new ManifestTestSupport.Model(ManifestFuzzTest.BUCKETS);
        try (VersionSet set = VersionSet.open(dir, ManifestFuzzTest.BUCKETS, 1 << 20, f -> { })) {
            for (int i = 0; i < edits; i++) {
                VersionEdit edit = model.randomEdit(r, set);
                set.logAndApply(edit);
                model.apply(edit);
            }
        }
        return Files.readAllBytes(dir.resolve(ManifestLayout.logName(CurrentFile.read(dir))));
    }

    private static void save(String relative, byte[] bytes) throws IOException {
        Path path = RESOURCES.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.write(path, bytes);
        System.out.println("[seeds] " + path + ": " + bytes.length + " bytes");
    }
}
