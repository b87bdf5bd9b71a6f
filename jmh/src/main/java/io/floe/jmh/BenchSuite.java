package io.floe.jmh;

import io.floe.common.JvmFlags;
import io.floe.jmh.report.BenchReportMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs Floe's benchmark suites with their peers and writes {@code <out>/<date-time>/}: JMH's JSON,
 * {@code report.md} (each figure next to its peer, the issues' goals checked) and PNG charts.
 *
 * <pre>
 * BenchSuite [--quick] [--out DIR] [--suite NAME]...      NAME: memtable, sst, changelog, kernel (default: all)
 * </pre>
 *
 * {@code --quick} runs one fork with one short warm-up and two short measurements per benchmark (a few
 * minutes; figures are indicative only); the default takes each benchmark's own settings.
 * Every run adds JMH's GC profiler, so the report shows bytes allocated per operation.
 */
public final class BenchSuite {
    /** The suites and the benchmark classes (regular expressions) each runs. */
    public static final Map<String, String> SUITES = new LinkedHashMap<>();

    static {
        SUITES.put("memtable", "io\\.floe\\.jmh\\.memtable\\..*Bench");
        SUITES.put("sst", "io\\.floe\\.jmh\\.sst\\..*Bench");
        SUITES.put("changelog", "io\\.floe\\.jmh\\.changelog\\..*Bench");
        SUITES.put("kernel", "io\\.floe\\.jmh\\.kernel\\..*Bench");
    }

    private BenchSuite() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        boolean quick = false;
        Path out = Path.of("bench-results");
        List<String> suites = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--suite" -> suites.add(args[++i]);
                default -> {
                    System.err.println("unknown argument '" + args[i] + "'; usage: BenchSuite [--quick] [--out DIR] [--suite "
                            + String.join("|", SUITES.keySet()) + "]...");
                    System.exit(2);
                }
            }
        }
        Path report = run(quick, out, suites, String.join(" ", args));
        System.out.println("\nreport: " + report);
    }

    /** Runs the suites and returns the path of the report. Throws {@link IllegalArgumentException} for an unknown suite. */
    public static Path run(boolean quick, Path out, List<String> suites, String arguments) throws RunnerException, IOException {
        List<String> chosen = suites.isEmpty() ? new ArrayList<>(SUITES.keySet()) : suites;
        Path dir = out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss")));
        Files.createDirectories(dir);
        Path json = dir.resolve("jmh.json");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .jvmArgsAppend(JvmFlags.required().toArray(new String[0]))
                .addProfiler("gc")
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        for (String suite : chosen) {
            String include = SUITES.get(suite);
            if (include == null) {
                throw new IllegalArgumentException("unknown suite '" + suite + "'; suites: " + String.join(", ", SUITES.keySet()));
            }
            options.include(include);
        }
        if (quick) {
            options.forks(1).warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
                    .measurementTime(TimeValue.seconds(1));
        }
        new Runner(options.build()).run();
        String command = "./floe bench" + (arguments.isBlank() ? "" : " " + arguments);
        return BenchReportMain.write(json, dir, command);
    }
}
