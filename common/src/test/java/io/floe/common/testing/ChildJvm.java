package io.floe.common.testing;

import io.floe.common.JvmFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM for crash and cross-process tests: started with a copy of the test's class path
 * ({@link ChildClassPath}: the parent's code even if the module is rebuilt meanwhile) and the JVM
 * flags Floe needs ({@link JvmFlags}), its stdout (and stderr) lines queued for the test, and
 * killed with SIGKILL ({@link Process#destroyForcibly()}) when the test says so.
 *
 * <p>A crash of the child JVM is a failure: the child writes its crash log ({@link HsErr}) into its
 * working directory ({@code -XX:ErrorFile}), and {@link #kill()}, {@link #killAfter} and
 * {@link #close()} throw {@link AssertionError} quoting it if it is there. (A SIGKILL writes none.)
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path workDir;
    private final String name;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChildJvm(Process process, Path workDir, String name) {
        this.process = process;
        this.workDir = workDir;
        this.name = name;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The child was killed.
            }
            lines.add("<EOF>");
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} with {@code args}, the JVM options {@code jvmOptions} and those of Floe's
     * JVM flags that pass {@code keepFlag}.
     */
    public static ChildJvm start(Class<?> main, List<String> jvmOptions, Predicate<String> keepFlag, String... args) throws IOException {
        return start(Path.of(System.getProperty("user.dir")), main, jvmOptions, keepFlag, args);
    }

    /**
     * Starts {@code main} with {@code args}, the JVM options {@code jvmOptions} and those of Floe's
     * JVM flags that pass {@code keepFlag}, in the working directory {@code workDir} (where its
     * crash log would go).
     */
    public static ChildJvm start(Path workDir, Class<?> main, List<String> jvmOptions, Predicate<String> keepFlag, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        JvmFlags.required().stream().filter(keepFlag).forEach(command::add);
        command.add(HsErr.errorFileOption(workDir));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(ChildClassPath.get());
        command.add(main.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        return new ChildJvm(builder.start(), workDir, main.getSimpleName());
    }

    /** Starts {@code main} with {@code args}, the JVM options {@code jvmOptions} and all of Floe's JVM flags, in {@code workDir}. */
    public static ChildJvm start(Path workDir, Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        return start(workDir, main, jvmOptions, flag -> true, args);
    }

    /** Starts {@code main} with {@code args}, the JVM options {@code jvmOptions} and all of Floe's JVM flags. */
    public static ChildJvm start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        return start(main, jvmOptions, flag -> true, args);
    }

    /** Returns the child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Returns iff the child is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns the next stdout line, or null after {@code timeoutMillis}; "&lt;EOF&gt;" once the child's stdout closed. */
    public String nextLine(long timeoutMillis) throws InterruptedException {
        return lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Returns the next line starting with {@code prefix}, skipping others. Throws {@link AssertionError}
     * after the timeout or at EOF (quoting the crash log if the child crashed).
     */
    public String await(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        List<String> skipped = new ArrayList<>();
        while (true) {
            String line = nextLine(Math.max(1, deadline - System.currentTimeMillis()));
            if (line == null || line.equals("<EOF>")) {
                if (line != null && process.waitFor(10, TimeUnit.SECONDS)) {
                    assertNoCrashLog(); // a crash is the better explanation
                }
                throw new AssertionError("child printed no '" + prefix + "' line (got " + line + "); its output:\n"
                        + String.join("\n", skipped));
            }
            if (skipped.size() < 200) {
                skipped.add(line);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /**
     * Waits (up to a minute) for the line {@code ready}, lets the child run {@code runMillis} more,
     * kills it with SIGKILL and returns the lines it printed after {@code ready}.
     * Throws {@link AssertionError} if the child dies before it is killed.
     */
    public List<String> killAfter(String ready, long runMillis) throws InterruptedException {
        await(ready, 60_000);
        if (!isAlive()) {
            assertNoCrashLog();
            throw new AssertionError("the child died before it was killed; its output:\n" + String.join("\n", drainLines()));
        }
        Thread.sleep(runMillis);
        kill();
        return drainLines();
    }

    /**
     * Returns the number after {@code prefix} on the last of {@code lines} that starts with it, or
     * {@code none} if no line does (a child's "C 42" protocol lines, say).
     */
    public static long lastNumber(List<String> lines, String prefix, long none) {
        long last = none;
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                last = Long.parseLong(line.substring(prefix.length()).trim());
            }
        }
        return last;
    }

    /**
     * Kills the child with SIGKILL and waits for it to die.
     * Throws {@link AssertionError} if it had crashed before (it left a crash log).
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        assertNoCrashLog();
    }

    /** Throws {@link AssertionError} quoting the child's crash log if it left one in its working directory. */
    public void assertNoCrashLog() {
        HsErr.assertNone(workDir, process.pid(), "child JVM " + name);
    }

    /** Returns every line printed so far (after the child exited, all of them). */
    public List<String> drainLines() throws InterruptedException {
        reader.join(10_000);
        List<String> out = new ArrayList<>();
        lines.drainTo(out);
        return out;
    }

    /** Kills the child if it still runs; then throws {@link AssertionError} if it left a crash log. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        assertNoCrashLog();
    }
}
