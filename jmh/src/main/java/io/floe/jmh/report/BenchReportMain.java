package io.floe.jmh.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Turns a JMH JSON result into {@code report.md} and PNG charts beside it, checking the issues'
 * goals ({@code goals.txt}). Usage: {@code BenchReportMain <jmh.json> <output dir> <command that produced it>}.
 */
public final class BenchReportMain {
    private BenchReportMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: BenchReportMain <jmh.json> <output dir> <command that produced the JSON>");
            System.exit(2);
        }
        Path report = write(Path.of(args[0]), Path.of(args[1]), args[2]);
        System.out.println("report: " + report);
    }

    /** Writes the report and charts for {@code json} into {@code dir} and returns the report's path. */
    public static Path write(Path json, Path dir, String command) throws IOException {
        List<BenchResult> results = JmhJson.read(json);
        Files.createDirectories(dir);
        List<GoalCheck.Outcome> outcomes = GoalCheck.check(goals(), results);
        Map<String, List<String>> charts = Charts.write(results, dir);
        String jdk = results.isEmpty() ? System.getProperty("java.version") : results.get(0).jdk();
        String machine = "Machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), JDK " + jdk + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ". Date: " + LocalDate.now() + ".";
        Path report = dir.resolve("report.md");
        Files.writeString(report, MarkdownReport.render("Floe benchmarks", machine, command, results, outcomes, charts));
        return report;
    }

    /** Returns the goals of the issues, from {@code goals.txt} on the class path. */
    public static List<Goal> goals() throws IOException {
        try (InputStream in = BenchReportMain.class.getResourceAsStream("goals.txt")) {
            if (in == null) {
                throw new IOException("goals.txt is missing from the floe-jmh jar");
            }
            return GoalFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
