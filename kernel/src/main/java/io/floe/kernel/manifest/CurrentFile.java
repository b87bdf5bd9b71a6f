package io.floe.kernel.manifest;

import io.floe.common.error.CorruptionException;
import io.floe.common.error.FloeIOException;
import io.floe.common.io.DurableFiles;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The {@code CURRENT} pointer of a manifest directory ({@link ManifestLayout}): names the live log.
 * Switched by writing {@code CURRENT.tmp}, fsyncing it, renaming it over {@code CURRENT} atomically
 * and fsyncing the directory, so a crash leaves either the old or the new pointer.
 *
 * <p>Stateless; callers serialize switches.
 */
final class CurrentFile {
    private CurrentFile() {
    }

    /**
     * Returns the log number {@code dir/CURRENT} names, or -1 if there is no CURRENT.
     * Throws {@link CorruptionException} naming CURRENT if its content is not a log name and a newline.
     */
    static long read(Path dir) {
        Path path = dir.resolve(ManifestLayout.CURRENT);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw FloeIOException.of("read manifest pointer", path, e);
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        long number = text.endsWith("\n") ? ManifestLayout.logNumber(text.substring(0, text.length() - 1)) : -1;
        if (number < 0 || !ManifestLayout.logName(number).equals(text.substring(0, text.length() - 1))) {
            throw new CorruptionException(path.toString(), 0, "manifest pointer does not hold a log name and a newline: '"
                    + text.replace("\n", "\\n") + "'");
        }
        return number;
    }

    /** Points {@code dir/CURRENT} at log {@code number}, atomically and durably (through {@value ManifestLayout#CURRENT_TEMP}). */
    static void write(Path dir, long number) {
        FaultPoints.point(FaultPoint.MANIFEST_POINTER_SWITCH);
        DurableFiles.writeAtomically(dir.resolve(ManifestLayout.CURRENT), (ManifestLayout.logName(number) + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
