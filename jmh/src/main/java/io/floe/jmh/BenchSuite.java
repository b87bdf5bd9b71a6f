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
 * BenchSuite [--quick] [--out DIR] [--suite NAME]... [--sweep PARAM]... [--param NAME=V1,V2]... [--threads N]
 *     NAME: memtable, sst, changelog, kernel (default: all)
 * </pre>
 *
 * {@code --quick} runs one fork with one short warm-up and two short measurements per benchmark (a few
 * minutes; figures are indicative only); the default takes each benchmark's own settings.
 * Every run adds JMH's GC profiler, so the report shows bytes allocated per operation.
 *
 * <p>Tuning parameters ({@code distribution}, {@code columns}, {@code valueBytes}, {@code codec},
 * {@code memtableMiB}, {@code writers} of the kernel suite) hold only their default value in the benchmarks, so a
 * plain or {@code --quick} run measures one value of each. {@code --sweep PARAM} measures the values
 * of {@link #SWEEPS} instead (several sweeps multiply); {@code --param NAME=V1,V2} any values of any
 * parameter; both apply to the benchmarks that declare the parameter. {@code --threads N} runs every
 * benchmark method in N threads (JMH's {@code -t}; the kernel's point lookups give each thread its
 * own handle, and each thread of the kernel's write benchmark is a writer of its own: with
 * {@code writers} 1, N writers; with more, N must be at most {@code writers}).
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

    /** The values a {@code --sweep} of each tuning parameter measures; the first of each is not always the default. */
    public static final Map<String, List<String>> SWEEPS = new LinkedHashMap<>();

    static {
        SWEEPS.put("distribution", List.of("sequential", "uniform", "zipfian"));
        SWEEPS.put("columns", List.of("2", "4", "8"));
        SWEEPS.put("valueBytes", List.of("100", "400", "1000"));
        SWEEPS.put("codec", List.of("NONE", "LZ4", "ZSTD")); // as the sst suite spells its codec parameter
        SWEEPS.put("memtableMiB", List.of("16", "64", "256"));
        SWEEPS.put("writers", List.of("1", "2", "4")); // concurrent writer threads of the kernel's write benchmark
    }

    /** What to run beyond the suites: parameter values by name (empty: the benchmarks' own) and a thread count (0: each benchmark's own). */
    public record Tuning(Map<String, List<String>> params, int threads) {
        public static final Tuning NONE = new Tuning(Map.of(), 0);
    }

    private BenchSuite() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        boolean quick = false;
        Path out = Path.of("bench-results");
        List<String> suites = new ArrayList<>();
        Map<String, List<String>> params = new LinkedHashMap<>();
        int threads = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--suite" -> suites.add(args[++i]);
                case "--sweep" -> {
                    List<String> values = SWEEPS.get(args[++i]);
                    if (values == null) {
                        usage("unknown sweep '" + args[i] + "'; sweeps: " + String.join(", ", SWEEPS.keySet()));
                    }
                    params.put(args[i], values);
                }
                case "--param" -> {
                    String[] kv = args[++i].split("=", 2);
                    if (kv.length != 2 || kv[0].isEmpty() || kv[1].isEmpty()) {
                        usage("--param takes NAME=V1,V2, got '" + args[i] + "'");
                    }
                    params.put(kv[0], List.of(kv[1].split(",")));
                }
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        Path report = run(quick, out, suites, new Tuning(params, threads), String.join(" ", args));
        System.out.println("\nreport: " + report);
    }

    private static void usage(String problem) {
        System.err.println(problem + "; usage: BenchSuite [--quick] [--out DIR] [--suite " + String.join("|", SUITES.keySet())
                + "]... [--sweep " + String.join("|", SWEEPS.keySet()) + "]... [--param NAME=V1,V2]... [--threads N]");
        System.exit(2);
    }

    /** Runs the suites with the benchmarks' own parameters and returns the path of the report. */
    public static Path run(boolean quick, Path out, List<String> suites, String arguments) throws RunnerException, IOException {
        return run(quick, out, suites, Tuning.NONE, arguments);
    }

    /** Runs the suites and returns the path of the report. Throws {@link IllegalArgumentException} for an unknown suite. */
    public static Path run(boolean quick, Path out, List<String> suites, Tuning tuning, String arguments) throws RunnerException, IOException {
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
        tuning.params().forEach((name, values) -> options.param(name, values.toArray(new String[0])));
        if (tuning.threads() > 0) {
            options.threads(tuning.threads());
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
