package io.floe.kernel.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.floe.common.error.CorruptionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Fuzz targets for the manifest decoders ({@link ManifestLayout}): whatever the bytes, a replay
 * either yields a version or fails with {@link CorruptionException}; any other exception or a JVM
 * crash is a finding.
 *
 * <ul>
 *   <li>{@link #versionEdit}: one record payload through {@link VersionEditCodec#decode}; what
 *       decodes must encode and decode back to an equal edit;</li>
 *   <li>{@link #manifestLog}: the input is a whole log file, replayed as {@link VersionSet#open}
 *       does ({@link ManifestLogReader}, then every edit applied to an empty version of
 *       {@value #BUCKETS} buckets);</li>
 *   <li>{@link #manifestLogFixedChecksums}: the same after recomputing the header's and every
 *       record's checksums, so that mutations reach the edit decoder and the version builder.</li>
 * </ul>
 *
 * Seeds (real logs, written by {@link ManifestFuzzSeeds}) and saved findings under
 * {@code src/test/resources/io/floe/kernel/manifest/ManifestFuzzTestInputs/<method>/} run in the
 * default build; {@code mvn -Pfuzz -pl kernel test -Dtest='ManifestFuzzTest#manifestLogFixedChecksums'} fuzzes one.
 */
class ManifestFuzzTest {
    static final int BUCKETS = 4;
    private static Path file;

    @FuzzTest(maxDuration = "5m")
    void versionEdit(byte[] payload) {
        VersionEdit edit;
        try {
            edit = VersionEditCodec.decode(payload, "fuzz", 100);
        } catch (CorruptionException expected) {
            checkNamed(expected, "fuzz");
            return;
        }
        VersionEdit again = VersionEditCodec.decode(VersionEditCodec.encode(edit), "again", 0);
        if (!again.equals(edit)) {
            throw new AssertionError("edit does not round-trip: " + edit + " became " + again);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void manifestLog(byte[] data) {
        replayOrFailWithCorruption(data);
    }

    @FuzzTest(maxDuration = "5m")
    void manifestLogFixedChecksums(byte[] data) {
        byte[] bytes = data.clone();
        fixChecksums(bytes);
        replayOrFailWithCorruption(bytes);
    }

    private static void replayOrFailWithCorruption(byte[] bytes) {
        Path path = write(bytes);
        String name = path.toString();
        try {
            VersionBuilder builder = new VersionBuilder(VersionBuilder.empty(BUCKETS));
            ManifestLogReader.replay(path, edit -> {
                String error = builder.apply(edit);
                if (error != null) {
                    throw new CorruptionException(name, -1, "manifest edit " + error);
                }
            });
            try {
                builder.build();
            } catch (IllegalStateException e) {
                // VersionSet.open reports this as corruption of the log
                throw new CorruptionException(name, -1, e.getMessage());
            }
        } catch (CorruptionException expected) {
            checkNamed(expected, name);
        }
    }

    /** Recomputes the file header's CRC and, record by record while lengths are plausible, each record's two CRCs. */
    static void fixChecksums(byte[] bytes) {
        if (bytes.length < ManifestLayout.FILE_HEADER_BYTES) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(12, crc(bytes, 0, 12));
        int at = ManifestLayout.FILE_HEADER_BYTES;
        while (bytes.length - at >= ManifestLayout.RECORD_HEADER_BYTES) {
            int length = b.getInt(at + 4);
            int payloadAt = at + ManifestLayout.RECORD_HEADER_BYTES;
            if (length <= 0 || length > bytes.length - payloadAt) {
                b.putInt(at + 8, crc(bytes, at, 8));
                return;
            }
            b.putInt(at, crc(bytes, payloadAt, length));
            b.putInt(at + 8, crc(bytes, at, 8));
            at = payloadAt + length;
        }
    }

    private static int crc(byte[] bytes, int from, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }

    private static void checkNamed(CorruptionException e, String file) {
        if (!e.file().contains(file)) {
            throw new AssertionError("corruption error does not name the file " + file + ": " + e, e);
        }
    }

    private static Path write(byte[] bytes) {
        try {
            if (file == null) {
                Path dir = Files.createTempDirectory("manifest-fuzz");
                dir.toFile().deleteOnExit();
                file = dir.resolve(ManifestLayout.logName(1));
                file.toFile().deleteOnExit();
            }
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
