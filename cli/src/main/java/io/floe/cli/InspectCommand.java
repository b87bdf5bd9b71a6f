package io.floe.cli;

import io.floe.kernel.BucketShape;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import io.floe.kernel.manifest.FileMeta;
import io.floe.kernel.manifest.SortedRun;
import io.floe.kernel.options.TableOptionsCodec;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.sst.SstDump;
import io.floe.sst.SstReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code floe inspect FILE}: the structure of an SST file — schema, sequence and key range, and for
 * every row group its bloom filter and each column chunk's pages with offsets, sizes, codec,
 * encoding, checksum and statistics. A damaged file is reported with the offset of the damage.
 *
 * <p>{@code floe inspect STORE TABLE}: the shape of a table — schema, options, and per bucket its
 * sequence numbers (last, committed, flushed), sorted runs with their files (rows, bytes, seq and
 * key ranges) and its changelog files. Opens the table (which needs no other process to hold it).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show the structure and statistics of an SST file (FILE) or of a table (STORE TABLE).")
final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..2", paramLabel = "FILE | STORE TABLE",
            description = "An SST file (bucket-N/sst/*.sst in a table directory), or a store directory and a table name.")
    List<String> args;

    @Override
    public Integer call() throws IOException {
        if (args.size() == 2) {
            return inspectTable(Path.of(args.get(0)), args.get(1));
        }
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            System.err.println("floe inspect: " + file + " is not a file (give STORE TABLE to inspect a table)");
            return 2;
        }
        try (OffHeapAllocator allocator = new OffHeapAllocator("inspect", Long.MAX_VALUE);
             SstReader reader = SstReader.open(file, allocator)) {
            System.out.print(SstDump.describe(reader));
        }
        return 0;
    }

    private static int inspectTable(Path store, String name) throws IOException {
        TableArgs table = new TableArgs();
        table.store = store;
        table.table = name;
        try (Floe floe = table.openStore()) {
            Table t = table.open(floe);
            System.out.println("table " + name + " in " + store.toAbsolutePath());
            System.out.println("schema  " + t.schema());
            System.out.println("options " + TableOptionsCodec.format(t.options()));
            long totalRows = 0;
            long totalBytes = 0;
            for (int b = 0; b < t.bucketCount(); b++) {
                BucketShape shape = t.shape(b);
                Path changelog = store.resolve(name).resolve("bucket-" + b).resolve("changelog");
                long[] queue = queueFiles(changelog);
                System.out.printf("bucket %d: last seq %d, committed seq %d, flushed seq %d, %d sorted run(s), changelog %d file(s) %s%n",
                        b, shape.lastSeq(), shape.committedSeq(), shape.flushedSeq(), shape.runs().size(), queue[0], bytes(queue[1]));
                for (SortedRun run : shape.runs()) {
                    System.out.printf("  run %d: %d file(s), %,d rows, %s, seq %d..%d%n", run.runId(), run.files().size(), run.rowCount(),
                            bytes(run.sizeBytes()), run.minSeq(), run.maxSeq());
                    for (FileMeta f : run.files()) {
                        System.out.printf("    %s  %,d rows  %s  seq %d..%d  keys %s..%s%n", String.format("%020d.sst", f.fileNumber()), f.rowCount(),
                                bytes(f.sizeBytes()), f.minSeq(), f.maxSeq(), hex(f.smallestKey()), hex(f.largestKey()));
                    }
                    totalRows += run.rowCount();
                    totalBytes += run.sizeBytes();
                }
            }
            System.out.printf("total: %,d entries in SSTs, %s%n", totalRows, bytes(totalBytes));
            t.close();
        }
        return 0;
    }

    /** Returns {count, bytes} of the changelog's queue files. */
    private static long[] queueFiles(Path dir) throws IOException {
        long[] out = new long[2];
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.toString().endsWith(".cq4")) {
                    out[0]++;
                    out[1] += Files.size(p);
                }
            }
        }
        return out;
    }

    private static String bytes(long n) {
        return n < 10_000 ? n + " B" : n < 10_000_000 ? (n >> 10) + " KiB" : (n >> 20) + " MiB";
    }

    /** Returns up to 16 bytes of {@code key} in hex (an ellipsis marks more). */
    private static String hex(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(16, key.length); i++) {
            sb.append(String.format("%02x", key[i]));
        }
        return key.length > 16 ? sb + "..." : sb.toString();
    }
}
