package io.floe.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code floe sql FILE}: runs the Flink SQL statements of a script, in order, on an embedded Flink
 * MiniCluster in this process, with the Floe connector on the class path ({@code 'connector' =
 * 'floe'}). Queries print their rows as a table; {@code INSERT} statements wait for their job to
 * finish. Batch mode by default; {@code --streaming} runs unbounded jobs with checkpoints (a Floe
 * sink commits on each), which then run until interrupted.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run a Flink SQL script on an embedded MiniCluster (the floe connector included).")
final class SqlCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The script: statements separated by ';'.")
    Path file;

    @Option(names = "--streaming", description = "Run in streaming mode with checkpoints (default: batch mode).")
    boolean streaming;

    @Option(names = "--parallelism", defaultValue = "2", description = "The parallelism of the jobs (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-interval", defaultValue = "1 s",
            description = "With --streaming: how often a checkpoint (and so a Floe commit) happens (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            System.err.println("floe sql: " + file + " is not a file");
            return 2;
        }
        if (parallelism < 1) {
            System.err.println("floe sql: --parallelism must be at least 1, got " + parallelism);
            return 2;
        }
        List<String> statements;
        try {
            statements = SqlScript.statements(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("floe sql: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        Configuration conf = new Configuration();
        if (streaming) {
            conf.setString("execution.checkpointing.interval", checkpointInterval);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env,
                streaming ? EnvironmentSettings.inStreamingMode() : EnvironmentSettings.inBatchMode());
        for (int i = 0; i < statements.size(); i++) {
            String statement = statements.get(i);
            try {
                TableResult result = tEnv.executeSql(statement);
                if (result.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT) {
                    result.print();
                } else if (result.getJobClient().isPresent()) {
                    result.await();
                    System.out.println("[" + (i + 1) + "] done: " + firstLine(statement));
                } else {
                    System.out.println("[" + (i + 1) + "] ok: " + firstLine(statement));
                }
            } catch (Exception e) {
                System.err.println("floe sql: statement " + (i + 1) + " of " + file + " failed: " + firstLine(statement));
                System.err.println("  " + rootMessage(e));
                return 1;
            }
        }
        return 0;
    }

    private static String firstLine(String statement) {
        String first = statement.lines().filter(l -> !l.strip().isEmpty() && !l.strip().startsWith("--")).findFirst().orElse("").strip();
        return first.length() > 100 ? first.substring(0, 100) + "..." : first;
    }

    /** Returns the message of the deepest cause that has one: Flink wraps the Floe error that says what to change. */
    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return message;
    }
}
