package io.floe.cli;

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
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show the structure and statistics of an SST file.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "An SST file (bucket-N/sst/*.sst in a table directory).")
    Path file;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            System.err.println("floe inspect: " + file + " is not a file");
            return 2;
        }
        try (OffHeapAllocator allocator = new OffHeapAllocator("inspect", Long.MAX_VALUE);
             SstReader reader = SstReader.open(file, allocator)) {
            System.out.print(SstDump.describe(reader));
        }
        return 0;
    }
}
