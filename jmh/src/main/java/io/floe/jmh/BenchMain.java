package io.floe.jmh;

import io.floe.common.JvmFlags;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH with the command-line options JMH itself understands, and appends the JVM flags every
 * Floe JVM needs ({@link JvmFlags}) to each forked benchmark JVM, so that no benchmark command
 * has to repeat them.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException, java.io.IOException {
        CommandLineOptions cmd = new CommandLineOptions(args);
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListProfilers() || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Options options = new OptionsBuilder()
                .parent(cmd)
                .jvmArgsAppend(JvmFlags.required().toArray(new String[0]))
                .build();
        new Runner(options).run();
    }
}
