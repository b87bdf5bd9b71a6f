package io.floe.kernel.faults;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What this process holds open under a directory: file descriptors and memory mappings (Linux {@code /proc/self}). */
final class OpenFiles {
    private OpenFiles() {
    }

    /** Returns iff {@code /proc/self/fd} can be read (Linux). */
    static boolean supported() {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /** Returns the number of open file descriptors. */
    static int count() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path ignored : s) {
                n++;
            }
        }
        return n;
    }

    /** Returns the targets of open file descriptors and mappings under {@code dir}. */
    static List<String> under(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().normalize().toString();
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : s) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(prefix)) {
                        out.add("fd " + fd.getFileName() + " -> " + target);
                    }
                } catch (IOException ignored) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int at = line.indexOf(prefix);
            if (at >= 0) {
                out.add("mapping " + line.substring(at));
            }
        }
        return out;
    }
}
