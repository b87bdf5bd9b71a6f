package io.floe.jmh.memtable;

import io.floe.common.JvmFlags;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures the memory a million entries (16-byte keys, 100-byte values, as in the benchmarks) take
 * in Floe's memtable, in {@code ConcurrentSkipListMap<byte[], byte[]>} (copied arrays, as a
 * memtable built on it must hold) and in rocksdbjni's memtable. Each peer is measured in a fresh
 * JVM ({@code -Xmx3g -XX:+UseParallelGC}): the retained heap is the heap in use after full GCs
 * after loading less the same with the empty table open; the off-heap bytes are what the table says it holds (Floe:
 * its allocator's MEMTABLE bytes; RocksDB: {@code rocksdb.size-all-mem-tables}); the resident
 * growth ({@code VmRSS} from {@code /proc/self/status}) is printed as a cross-check.
 *
 * <p>Run: {@code java -cp <jmh classpath> io.floe.jmh.memtable.MemtableFootprint} (all peers),
 * or with one peer name to measure it in this JVM.
 */
public final class MemtableFootprint {
    private static final int ENTRIES = 1_000_000;

    private MemtableFootprint() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1) {
            measure(args[0]);
            return;
        }
        System.out.println("| peer | retained heap (MiB) | off-heap (MiB) | total (MiB) | bytes/entry | VmRSS growth (MiB) |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (String peer : List.of("floe", "cslm", "rocksdb")) {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(JvmFlags.required());
            command.addAll(List.of("-Xms3g", "-Xmx3g", "-XX:+UseParallelGC", "-XX:MaxDirectMemorySize=4g", "-cp",
                    System.getProperty("java.class.path"), MemtableFootprint.class.getName(), peer));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(peer + " failed:\n" + output);
            }
            System.out.print(output);
        }
    }

    private static void measure(String peer) throws IOException, InterruptedException {
        BenchData data = new BenchData(ENTRIES, 0x5EED);
        // The baseline is taken with the empty table open: what it holds before loading (for
        // ConcurrentSkipListMap the probe keys the benchmarks look up with) is not counted.
        KvPeer table = KvPeer.create(peer, data);
        KvPeer.Session session = table.newSession();
        long heapBefore = usedHeapAfterGc();
        long rssBefore = rssBytes();
        for (int i = 0; i < ENTRIES; i++) {
            session.put(i);
        }
        long heapAfter = usedHeapAfterGc();
        long rssAfter = rssBytes();
        long offHeap = peer.equals("cslm") ? 0 : table.memoryBytes();
        long retained = heapAfter - heapBefore;
        long total = retained + offHeap;
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n", peer, mib(retained), mib(offHeap),
                mib(total), (double) total / ENTRIES, mib(rssAfter - rssBefore));
        if (session.get(ENTRIES / 2) == -1) {
            throw new IllegalStateException("entry lost");
        }
        table.close();
        data.close();
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
