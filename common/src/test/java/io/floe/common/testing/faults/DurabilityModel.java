package io.floe.common.testing.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a machine crash (power loss) keeps of the files Floe writes, from the durability hooks of
 * {@link io.floe.common.io.FaultPoints}: a {@link #plan()} of what to undo, which
 * {@link #applyPlan} carries out on the files once the writing process is dead.
 *
 * <p>The model, per file the hooks name:
 * <ul>
 *   <li>A file written through a channel keeps its data as of its last fsync: a file up to
 *       {@value #IMAGE_LIMIT} bytes is restored to the exact bytes it had then (this covers small
 *       files rewritten in place, such as the memory-mapped watermark), a larger one is truncated to
 *       the length it had then (it is append-only: SSTs, manifest logs).</li>
 *   <li>A name created or renamed into a directory exists only if the directory was fsynced after
 *       it: otherwise a created file is deleted, and a file renamed over an older durable one gets
 *       the older one's bytes back.</li>
 *   <li>A changelog queue file (memory-mapped by Chronicle Queue) keeps what its writer had written
 *       when it last synced ({@link io.floe.common.io.FaultPoints#syncedPrefix}): every byte after
 *       that position reads as zero, and queue files of later cycles in its directory (created
 *       after that sync) are deleted. Chronicle's own header fields near the start of the file keep
 *       their newest values (they may then point past the surviving data, as after a real crash).</li>
 *   <li>Not modelled: a file the hooks never name keeps everything (Chronicle's metadata file, lock
 *       files, a changelog never synced); deletions are never undone (a deleted file does not come
 *       back); pages are lost as a whole suffix, never as holes in the middle.</li>
 * </ul>
 *
 * <p>Threads: the hooks and {@link #plan()} synchronize on this model.
 */
public final class DurabilityModel {
    /** Files up to this size are restored byte for byte; larger ones are truncated. */
    static final int IMAGE_LIMIT = 64 << 10;

    private static final class State {
        boolean entryDurable;
        long syncedLength;
        byte[] image = new byte[0];
        /** The durable file a non-durable rename replaced (its image), or null. */
        byte[] replaced;
        boolean mapped;
        long prefixEnd;
    }

    private final Map<Path, State> files = new HashMap<>();

    synchronized void created(Path file) {
        State s = new State();
        files.put(key(file), s);
    }

    synchronized void renamed(Path from, Path to) {
        State s = files.remove(key(from));
        State old = files.get(key(to));
        if (s == null) {
            files.remove(key(to));
            return;
        }
        s.entryDurable = false;
        s.replaced = old == null ? null : old.entryDurable ? old.image : old.replaced;
        files.put(key(to), s);
    }

    synchronized void synced(Path file) {
        State s = files.computeIfAbsent(key(file), k -> {
            State fresh = new State();
            fresh.entryDurable = true; // a file the hooks never saw created existed before
            return fresh;
        });
        if (s.mapped) {
            return;
        }
        try {
            long size = Files.size(file);
            s.syncedLength = size;
            s.image = size <= IMAGE_LIMIT ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void directorySynced(Path dir) {
        Path d = key(dir);
        for (Map.Entry<Path, State> e : files.entrySet()) {
            if (d.equals(e.getKey().getParent())) {
                e.getValue().entryDurable = true;
                e.getValue().replaced = null;
            }
        }
    }

    synchronized void syncedPrefix(Path file, long end) {
        State s = files.computeIfAbsent(key(file), k -> new State());
        s.entryDurable = true;
        s.mapped = true;
        s.prefixEnd = end;
        Path dir = key(file).getParent();
        for (Map.Entry<Path, State> e : files.entrySet()) {
            State other = e.getValue();
            if (other != s && other.mapped && dir.equals(e.getKey().getParent())) {
                // An older cycle's file: the writer synced all of it before moving on.
                other.mapped = false;
                other.image = null;
                other.syncedLength = Long.MAX_VALUE;
            }
        }
    }

    /** Returns the plan: one line per action ({@code delete}, {@code restore}, {@code truncate}, {@code zero}). */
    public synchronized List<String> plan() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Path, State> e : files.entrySet()) {
            Path p = e.getKey();
            State s = e.getValue();
            if (!s.entryDurable) {
                if (s.replaced != null) {
                    lines.add("restore " + Base64.getEncoder().encodeToString(s.replaced) + " " + p);
                } else {
                    lines.add("delete " + p);
                }
            } else if (s.mapped) {
                lines.add("zero " + s.prefixEnd + " " + p);
            } else if (s.image != null) {
                lines.add("restore " + Base64.getEncoder().encodeToString(s.image) + " " + p);
            } else {
                lines.add("truncate " + s.syncedLength + " " + p);
            }
        }
        return lines;
    }

    /** Writes {@link #plan()} to {@code planFile}. */
    void writePlan(Path planFile) {
        try {
            Files.write(planFile, plan(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Carries out the plan in {@code planFile} (written by a process that is dead now) and returns
     * a summary: how many files were deleted, restored, truncated and zeroed (and bytes lost).
     */
    public static String applyPlan(Path planFile) throws IOException {
        int deleted = 0;
        int restored = 0;
        int truncated = 0;
        int zeroed = 0;
        long lostBytes = 0;
        for (String line : Files.readAllLines(planFile, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ", 3);
            switch (f[0]) {
                case "delete" -> {
                    Path p = Path.of(f[1] + (f.length > 2 ? " " + f[2] : ""));
                    if (Files.deleteIfExists(p)) {
                        deleted++;
                    }
                }
                case "restore" -> {
                    Path p = Path.of(f[2]);
                    byte[] image = Base64.getDecoder().decode(f[1]);
                    if (!Files.exists(p) || !Arrays.equals(Files.readAllBytes(p), image)) {
                        Files.write(p, image);
                        restored++;
                    }
                }
                case "truncate" -> {
                    Path p = Path.of(f[2]);
                    long length = Long.parseLong(f[1]);
                    if (Files.exists(p) && Files.size(p) > length) {
                        lostBytes += Files.size(p) - length;
                        try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
                            c.truncate(length);
                        }
                        truncated++;
                    }
                }
                case "zero" -> {
                    Path p = Path.of(f[2]);
                    if (Files.exists(p)) {
                        long n = zeroFrom(p, Long.parseLong(f[1]));
                        lostBytes += n;
                        if (n > 0) {
                            zeroed++;
                        }
                        deleted += deleteLaterQueueFiles(p);
                    }
                }
                default -> throw new IOException("unknown plan line: " + line);
            }
        }
        return "deleted " + deleted + ", restored " + restored + ", truncated " + truncated + ", zeroed " + zeroed
                + " files; " + lostBytes + " bytes lost";
    }

    /** Zeroes every non-zero byte of {@code p} from {@code from} on; returns how many of its bytes were not zero. */
    private static long zeroFrom(Path p, long from) throws IOException {
        long changed = 0;
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = c.size();
            ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
            ByteBuffer zeros = ByteBuffer.allocate(64 << 10);
            for (long at = from; at < size; at += chunk.capacity()) {
                chunk.clear();
                int n = c.read(chunk, at);
                if (n <= 0) {
                    break;
                }
                int nonZero = 0;
                for (int i = 0; i < n; i++) {
                    nonZero += chunk.get(i) == 0 ? 0 : 1;
                }
                if (nonZero > 0) {
                    zeros.clear().limit(n);
                    c.write(zeros, at);
                    changed += nonZero;
                }
            }
        }
        return changed;
    }

    private static int deleteLaterQueueFiles(Path synced) throws IOException {
        int deleted = 0;
        String name = synced.getFileName().toString();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(synced.getParent(), "*.cq4")) {
            for (Path q : s) {
                if (q.getFileName().toString().compareTo(name) > 0) {
                    Files.delete(q);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static Path key(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
