package io.floe.cli;

import io.floe.common.JvmFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code floe bench}: runs the JMH suites (module {@code jmh/}) with their peers in a JVM of their
 * own, and writes {@code bench-results/<date-time>/} with JMH's JSON, a Markdown report with each
 * goal checked against its peer, and PNG charts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run the benchmark suites, each beside its peer (RocksDB, ConcurrentSkipListMap, raw Chronicle Queue, raw lz4/zstd, memcpy, Apache Paimon).",
                "Writes bench-results/<date-time>/: jmh.json, report.md, charts."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "One fork, one short warm-up, two short measurements per benchmark (minutes; indicative only).")
    boolean quick;

    @Option(names = "--suite", paramLabel = "NAME", description = "Run only this suite: memtable, sst, changelog, kernel (repeatable; default all).")
    List<String> suites = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where the results go (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench-results");

    @Option(names = "--sweep", paramLabel = "PARAM", description = "Measure the preset values of a tuning parameter: distribution, columns, valueBytes, codec, memtableMiB, writers (repeatable).")
    List<String> sweeps = new ArrayList<>();

    @Option(names = "--param", paramLabel = "NAME=V1,V2", description = "Measure these values of a benchmark parameter (repeatable).")
    List<String> params = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Run every benchmark method in N threads (default: each benchmark's own).")
    int threads;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("floe.home", "."));
        Path build = home.resolve("jmh/target");
        Path classpath = build.resolve("classpath.txt");
        if (!Files.isRegularFile(classpath) || !Files.isDirectory(build.resolve("classes"))) {
            System.err.println("floe bench: the benchmarks are not built (" + classpath + " is missing); run ./floe from the repository root, "
                    + "or: mvn -B -q install -DskipTests");
            return 2;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmFlags.required());
        command.add("-cp");
        command.add(build.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpath).trim());
        command.add("io.floe.jmh.BenchSuite");
        if (quick) {
            command.add("--quick");
        }
        command.add("--out");
        command.add(out.toAbsolutePath().toString());
        for (String s : suites) {
            command.add("--suite");
            command.add(s);
        }
        for (String s : sweeps) {
            command.add("--sweep");
            command.add(s);
        }
        for (String p : params) {
            command.add("--param");
            command.add(p);
        }
        if (threads > 0) {
            command.add("--threads");
            command.add(Integer.toString(threads));
        }
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
