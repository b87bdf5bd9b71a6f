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
 * has to repeat them; flags given with {@code -jvmArgsAppend} are appended after them.
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
        // A -jvmArgsAppend of the command line (a profiler's flags, say) is kept after Floe's own.
        java.util.List<String> append = new java.util.ArrayList<>(JvmFlags.required());
        if (cmd.getJvmArgsAppend().hasValue()) {
            append.addAll(cmd.getJvmArgsAppend().get());
        }
        Options options = new OptionsBuilder()
                .parent(cmd)
                .jvmArgsAppend(append.toArray(new String[0]))
                .build();
        new Runner(options).run();
    }
}
