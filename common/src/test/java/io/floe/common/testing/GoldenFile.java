package io.floe.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Data-driven golden tests (STYLE.md, rule 8). A file under {@code src/test/resources/testdata/}
 * holds cases separated by blank lines:
 *
 * <pre>
 * command argument...
 * input line
 * input line
 * ----
 * expected output line
 * </pre>
 *
 * Lines starting with {@code #} before a case are comments and are kept. {@link #run} computes the
 * output of each case with a function and compares it with the expected lines; with
 * {@code -Drewrite=true} (through Maven: {@code -Dfloe.test.jvm.extra=-Drewrite=true}) it writes
 * the computed output back into the source file instead, so that a deliberate change is reviewed
 * as a diff.
 */
public final class GoldenFile {
    /** One case: the command line, the input lines, and the expected output lines. */
    public record Case(String command, List<String> input, List<String> expected, int line) {
    }

    private GoldenFile() {
    }

    /**
     * Runs every case of {@code testdata/<name>} through {@code run} (which returns the output
     * text; a trailing newline is ignored) and asserts it equals the expected output.
     */
    public static void run(String name, Function<Case, String> run) {
        Path source = Path.of("src/test/resources/testdata").resolve(name);
        List<String> lines;
        try {
            lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden file " + source.toAbsolutePath(), e);
        }
        boolean rewrite = Boolean.getBoolean("rewrite");
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            // Comments and blank lines between cases are kept as they are.
            while (i < lines.size() && (lines.get(i).isBlank() || lines.get(i).startsWith("#"))) {
                out.add(lines.get(i++));
            }
            if (i >= lines.size()) {
                break;
            }
            int start = i;
            String command = lines.get(i++);
            List<String> input = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).equals("----")) {
                input.add(lines.get(i++));
            }
            if (i >= lines.size()) {
                throw new IllegalArgumentException(source + ":" + (start + 1) + ": case has no '----' line");
            }
            i++;
            List<String> expected = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).isBlank()) {
                expected.add(lines.get(i++));
            }
            Case c = new Case(command, List.copyOf(input), List.copyOf(expected), start + 1);
            String actual = run.apply(c);
            List<String> actualLines = actual.isEmpty() ? List.of() : List.of(actual.stripTrailing().split("\n", -1));
            if (rewrite) {
                out.add(command);
                out.addAll(input);
                out.add("----");
                out.addAll(actualLines);
            } else {
                assertThat(actualLines).as("%s:%d: %s", source, c.line(), command).containsExactlyElementsOf(expected);
            }
        }
        if (rewrite) {
            try {
                Files.write(source, out, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
