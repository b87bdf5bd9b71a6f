package io.floe.changelog;

import io.floe.common.JvmFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child JVM running {@link ChildMain}, with its stdout lines queued for the test. */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
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

    /** Starts {@link ChildMain} with {@code args} and the JVM flags that pass {@code keepFlag}. */
    static ChildJvm start(Predicate<String> keepFlag, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        JvmFlags.required().stream().filter(keepFlag).forEach(command::add);
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildMain.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        return new ChildJvm(builder.start());
    }

    static ChildJvm start(String... args) throws IOException {
        return start(flag -> true, args);
    }

    /** Returns the next stdout line, or null after {@code timeoutMillis}; "&lt;EOF&gt;" once the child's stdout closed. */
    String nextLine(long timeoutMillis) throws InterruptedException {
        return lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Returns the next line starting with {@code prefix}, skipping others; fails after the timeout or EOF. */
    String await(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        List<String> skipped = new ArrayList<>();
        while (true) {
            String line = nextLine(Math.max(1, deadline - System.currentTimeMillis()));
            if (line == null || line.equals("<EOF>")) {
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

    /** Kills the child with SIGKILL and waits for it to die. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Returns every line printed so far (after the child exited, all of them). */
    List<String> drainLines() throws InterruptedException {
        reader.join(10_000);
        List<String> out = new ArrayList<>();
        lines.drainTo(out);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
