package io.floe.cli;

import io.floe.cli.demo.Warehouse;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code floe demo}: a streaming warehouse end to end on an embedded Flink MiniCluster (see
 * {@link Warehouse}). Exit code 0 iff the batch check at the end finds ODS and DWS consistent.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a streaming warehouse on an embedded Flink MiniCluster: a generated change stream of orders into the",
                "ODS table ods_orders, a continuous aggregation into the DWS table dws_region_revenue, a tailer printing DWS's",
                "changelog with its freshness, then a batch query checking ODS against DWS (and against the generator)."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./floe-data", description = "The Floe store (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "45", description = "How long the generator runs (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "1000", description = "Order changes per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--keep", description = {"Keep the demo's tables from an earlier run and append to them",
            "(default: drop ods_orders and dws_region_revenue from DIR first; nothing else in DIR is touched)."})
    boolean keep;

    @Option(names = "--no-changes", description = "Do not print each DWS change (progress lines and the summary only).")
    boolean noChanges;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || rate < 1) {
            spec.commandLine().getErr().println("floe demo: --seconds and --rate must be at least 1");
            return 2;
        }
        Warehouse.Summary summary = new Warehouse(dir, seconds, rate, keep, !noChanges, spec.commandLine().getOut()).run();
        return summary.consistent() ? 0 : 1;
    }
}
