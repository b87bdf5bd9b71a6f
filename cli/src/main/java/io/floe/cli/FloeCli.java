package io.floe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code floe} command. Started by the {@code ./floe} launcher at the repository root, which
 * builds the project first if needed and passes the JVM flags Floe needs.
 */
@Command(name = "floe", mixinStandardHelpOptions = true, version = "floe 0.1.0-SNAPSHOT",
        description = "Floe: an embeddable off-heap table store for Apache Flink.",
        subcommands = {ScanCommand.class, GetCommand.class, TailCommand.class, InspectCommand.class, SqlCommand.class, BenchCommand.class,
                DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class FloeCli {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Returns the command line, with Floe's errors printed as messages (exit code 1) rather than stack traces. */
    static CommandLine commandLine() {
        System.setProperty("chronicle.analytics.disable", "true");
        return new CommandLine(new FloeCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // Floe's errors are written for people: print the message, not a stack trace.
                    if (e instanceof io.floe.common.error.FloeException) {
                        cmd.getErr().println("floe " + cmd.getCommandName() + ": " + e.getMessage());
                        return 1;
                    }
                    throw e;
                });
    }
}
