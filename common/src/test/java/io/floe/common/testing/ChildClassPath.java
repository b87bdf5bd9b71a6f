package io.floe.common.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class path child JVMs run with: this JVM's, with its class directories ({@code target/classes},
 * {@code target/test-classes}) and Floe's own jars copied once into a temporary directory, so that a
 * child runs the code its parent test runs even when the module is rebuilt meanwhile (another build
 * in the same working tree recompiles {@code target/test-classes}: a child started during that would
 * miss classes). The copy is deleted when this JVM exits.
 *
 * <p>Threads: safe; the copy is made once, on first use.
 */
final class ChildClassPath {
    private ChildClassPath() {
    }

    /** Returns the class path for child JVMs. */
    static String get() {
        return Holder.CLASS_PATH;
    }

    private static final class Holder {
        static final String CLASS_PATH = snapshot(System.getProperty("java.class.path"));
    }

    private static String snapshot(String classPath) {
        try {
            Path copy = Files.createTempDirectory("floe-child-classpath-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(copy), "delete child class path"));
            List<String> out = new ArrayList<>();
            int i = 0;
            for (String entry : classPath.split(File.pathSeparator)) {
                Path p = Path.of(entry);
                Path target = copy.resolve(i++ + "-" + p.getFileName());
                if (Files.isDirectory(p)) {
                    copyTree(p, target);
                    out.add(target.toString());
                } else if (Files.isRegularFile(p) && p.getFileName().toString().startsWith("floe-")) {
                    Files.copy(p, target);
                    out.add(target.toString());
                } else {
                    out.add(entry);
                }
            }
            return String.join(File.pathSeparator, out);
        } catch (IOException e) {
            throw new UncheckedIOException("copy the class path for child JVMs", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort at exit; the directory is in the temporary directory.
        }
    }
}
