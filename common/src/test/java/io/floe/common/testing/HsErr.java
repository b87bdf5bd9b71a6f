package io.floe.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The fatal-error logs a HotSpot JVM writes when it crashes ({@code hs_err_pid<pid>.log}, in its
 * working directory or where {@code -XX:ErrorFile} says): a crash test or a corruption sweep fails
 * if one appeared, since a JVM crash (a bad off-heap access, say) is never an acceptable outcome,
 * even when the test's own assertions would pass.
 */
public final class HsErr {
    private static final String PREFIX = "hs_err_pid";
    private static final String SUFFIX = ".log";
    private static final int QUOTED_LINES = 25;

    private HsErr() {
    }

    /** Returns the log a JVM with process id {@code pid} writes in {@code dir} when it crashes. */
    public static Path fileOf(Path dir, long pid) {
        return dir.resolve(PREFIX + pid + SUFFIX);
    }

    /** Returns the {@code -XX:ErrorFile} option that makes a JVM write its crash log into {@code dir}. */
    public static String errorFileOption(Path dir) {
        return "-XX:ErrorFile=" + dir.toAbsolutePath().resolve(PREFIX + "%p" + SUFFIX);
    }

    /** Returns every crash log in {@code dir}, sorted by name; empty if there is none or no such directory. */
    public static List<Path> all(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(HsErr::isCrashLog).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir, e);
        }
    }

    /** Throws {@link AssertionError} quoting the log if the JVM with process id {@code pid} left a crash log in {@code dir}. */
    public static void assertNone(Path dir, long pid, String who) {
        Path log = fileOf(dir, pid);
        if (Files.exists(log)) {
            throw new AssertionError(who + " (pid " + pid + ") crashed the JVM: " + describe(List.of(log)));
        }
    }

    /** Throws {@link AssertionError} quoting the logs if {@code dir} holds a crash log not named in {@code before}. */
    public static void assertNoneNew(Path dir, Set<Path> before, String who) {
        List<Path> fresh = new ArrayList<>(all(dir));
        fresh.removeAll(before);
        if (!fresh.isEmpty()) {
            throw new AssertionError(who + ": a JVM crashed: " + describe(fresh));
        }
    }

    private static boolean isCrashLog(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
    }

    private static String describe(List<Path> logs) {
        StringBuilder out = new StringBuilder();
        for (Path log : logs) {
            out.append("\n--- ").append(log).append('\n');
            try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
                lines.limit(QUOTED_LINES).forEach(l -> out.append(l).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                out.append("(unreadable: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }
}
