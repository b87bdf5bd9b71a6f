package io.floe.cli;

import io.floe.kernel.Floe;
import io.floe.kernel.RowScan;
import io.floe.kernel.ScanOptions;
import io.floe.kernel.Snapshot;
import io.floe.kernel.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code floe scan STORE TABLE}: the rows of a consistent snapshot, tab-separated, key order within each bucket. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Print the rows of a consistent snapshot of a table (tab-separated; key order within each bucket).",
                "The table must not be open in another process (a running job): use 'floe tail' there."})
final class ScanCommand implements Callable<Integer> {
    @Mixin
    TableArgs args;

    @Option(names = "--columns", split = ",", paramLabel = "COL", description = "Only these columns, in this order.")
    List<String> columns;

    @Option(names = "--limit", paramLabel = "N", description = "At most N rows (default: all).")
    long limit = Long.MAX_VALUE;

    @Override
    public Integer call() {
        try (Floe floe = args.openStore(); Table table = args.open(floe); Snapshot snapshot = table.snapshot()) {
            ScanOptions options = columns == null ? ScanOptions.all() : ScanOptions.all().withColumns(columns);
            long printed = 0;
            boolean header = false;
            for (int b = 0; b < table.bucketCount() && printed < limit; b++) {
                try (RowScan scan = snapshot.scan(b, options)) {
                    while (printed < limit && scan.next()) {
                        if (!header) {
                            System.out.println(RowText.header(scan.row()));
                            header = true;
                        }
                        System.out.println(RowText.format(scan.row()));
                        printed++;
                    }
                }
            }
            System.err.println(printed + " rows");
        }
        return 0;
    }
}
