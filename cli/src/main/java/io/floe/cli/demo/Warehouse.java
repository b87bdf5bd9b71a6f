package io.floe.cli.demo;

import io.floe.common.RowKind;
import io.floe.common.row.RowReader;
import io.floe.flink.ConnectorConfig;
import io.floe.flink.FlinkSchemas;
import io.floe.flink.FloeStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.runtime.typeutils.ExternalTypeInfo;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * The demo's streaming warehouse, run once: on embedded Flink MiniClusters (one per job, in this
 * JVM), with the store at {@code dir}:
 * <ol>
 *   <li>job 1: {@link OrderChanges} ({@code rate} changes/s for {@code seconds} s, then it ends) upserted into the
 *       ODS table {@code ods_orders} by the exactly-once sink;</li>
 *   <li>job 2: a streaming read (read-committed, full changelog) of ODS aggregated per region into the DWS table
 *       {@code dws_region_revenue};</li>
 *   <li>a tailer thread following both tables' committed changelogs (kernel tailers through
 *       {@link FloeStores}), printing DWS's changes with their freshness and progress lines;</li>
 *   <li>when job 1 has ended and DWS has been quiet for {@link #QUIET_MILLIS}, job 2 is cancelled and a batch query
 *       compares DWS with an aggregation of ODS (and, on a fresh store, ODS with a replay of the generator).</li>
 * </ol>
 *
 * <p>Freshness of a DWS change: the wall-clock time at which the tailer sees it committed minus its
 * {@code last_update}, the newest {@code updated_at} (the generator's emit time) among the orders it
 * aggregates. It covers generator → ODS commit → ODS read → aggregation → DWS commit → tailer; a change caused
 * only by a delete shows the age of the newest remaining order, so it overstates.
 */
public final class Warehouse {
    static final String ODS = "ods_orders";
    static final String DWS = "dws_region_revenue";
    /** DWS is considered drained once job 1 has ended and DWS had no change for this long (3 checkpoint intervals). */
    static final long QUIET_MILLIS = 3000;
    private static final long PROGRESS_MILLIS = 3000;

    /** What the run did. {@code odsMatchesGenerator} is null when not checked (with --keep). */
    public record Summary(long generated, double seconds, long odsChanges, long odsRows, long dwsChanges, int regions,
                          int freshnessSamples, long freshnessP50, long freshnessP99, boolean odsMatchesDws, Boolean odsMatchesGenerator) {
        /**
         * Returns iff ODS and DWS agree, ODS has rows, and ODS equals an in-process replay of the
         * generator (when checked: not with --keep). The replay check is what caught the sink's
         * rebalance bug (changes of one key reordered between subtasks).
         */
        public boolean consistent() {
            return odsMatchesDws && odsRows > 0 && !Boolean.FALSE.equals(odsMatchesGenerator);
        }

        public double throughput() {
            return seconds > 0 ? generated / seconds : 0;
        }
    }

    private final Path dir;
    private final int seconds;
    private final int rate;
    private final boolean keep;
    private final boolean printChanges;
    private final PrintWriter out;

    private final AtomicLong odsChanges = new AtomicLong();
    private final AtomicLong dwsChanges = new AtomicLong();
    private final Latencies freshness = new Latencies();
    private volatile long lastDwsChangeMillis;
    /** The execution environment of the last {@link #tableEnv}. */
    private StreamExecutionEnvironment env;

    public Warehouse(Path dir, int seconds, int rate, boolean keep, boolean printChanges, PrintWriter out) {
        this.dir = dir.toAbsolutePath().normalize();
        this.seconds = seconds;
        this.rate = rate;
        this.keep = keep;
        this.printChanges = printChanges;
        this.out = out;
    }

    static Map<String, String> with(Path dir, String bucket) {
        Map<String, String> with = new LinkedHashMap<>();
        with.put("connector", "floe");
        with.put("path", dir.toString());
        with.put("bucket", bucket);
        with.put("changelog-producer", "full");
        return with;
    }

    private static String ddl(String name, String columns, Map<String, String> with) {
        return "CREATE TABLE " + name + " (" + columns + ") WITH ("
                + with.entrySet().stream().map(e -> "'" + e.getKey() + "' = '" + e.getValue().replace("'", "''") + "'").collect(Collectors.joining(", ")) + ")";
    }

    private static final String ODS_COLUMNS = "order_id BIGINT NOT NULL, customer_id INT, region STRING, amount DECIMAL(10, 2), status STRING, "
            + "updated_at TIMESTAMP(3), PRIMARY KEY (order_id) NOT ENFORCED";
    private static final String DWS_COLUMNS = "region STRING NOT NULL, orders BIGINT, revenue DECIMAL(18, 2), last_update TIMESTAMP(3), "
            + "PRIMARY KEY (region) NOT ENFORCED";

    private StreamTableEnvironment tableEnv(boolean batch) {
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", "1 s");
        // The aggregation emits one DWS change per region per mini-batch, not one per ODS change.
        conf.setString("table.exec.mini-batch.enabled", "true");
        conf.setString("table.exec.mini-batch.allow-latency", "200 ms");
        conf.setString("table.exec.mini-batch.size", "5000");
        env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env, batch ? EnvironmentSettings.inBatchMode() : EnvironmentSettings.inStreamingMode());
        tEnv.executeSql(ddl(ODS, ODS_COLUMNS, with(dir, "2")));
        tEnv.executeSql(ddl(DWS, DWS_COLUMNS, with(dir, "1")));
        return tEnv;
    }

    private FloeStores.Lease lease(StreamTableEnvironment tEnv, String name, String bucket) {
        return FloeStores.acquire(dir, name, FlinkSchemas.toFloe(tEnv.from(name).getResolvedSchema(), name),
                ConnectorConfig.parse(with(dir, bucket), name).tableOptions());
    }

    /** Runs the demo; prints progress, DWS's changes and the summary to {@code out}. */
    public Summary run() throws Exception {
        long count = (long) seconds * rate;
        prepareStore();
        out.println("floe demo: store " + dir + (keep ? " (appending to its tables)" : " (demo tables dropped first)") + "; generating " + count
                + " order changes at " + rate + "/s for " + seconds + " s; Flink: parallelism 2, checkpoint every 1 s");
        StreamTableEnvironment stream = tableEnv(false);
        FloeStores.Lease odsLease = lease(stream, ODS, "2");
        FloeStores.Lease dwsLease;
        try {
            dwsLease = lease(stream, DWS, "1");
        } catch (RuntimeException | Error e) {
            odsLease.close();
            throw e;
        }
        long start = System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        Thread tailer;
        double generatorSeconds;
        try (ChangelogFollower ods = new ChangelogFollower(odsLease); ChangelogFollower dws = new ChangelogFollower(dwsLease)) {
            tailer = new Thread(() -> follow(ods, dws, stop, start), "floe-demo-tailer");
            tailer.setDaemon(true);
            tailer.start();
            TableResult aggregation = null;
            try {
                aggregation = stream.executeSql("INSERT INTO " + DWS + " SELECT region, COUNT(*), CAST(SUM(amount) AS DECIMAL(18, 2)), MAX(updated_at) FROM "
                        + ODS + " GROUP BY region");
                out.println("job 2 (ODS -> DWS aggregation) started: " + aggregation.getJobClient().orElseThrow().getJobID());
                @SuppressWarnings("unchecked")
                TypeInformation<Row> type = (TypeInformation<Row>) (TypeInformation<?>) ExternalTypeInfo.of(OrderChanges.rowType());
                DataGeneratorSource<Row> source = new DataGeneratorSource<>(new OrderChanges(), count, RateLimiterStrategy.perSecond(rate), type);
                // Keyed by order id before the conversion to a table: with the source at parallelism 1 and the
                // conversion at 2, a plain edge would rebalance, and an order's -D could overtake its +I on the
                // other path; ChangelogNormalize then drops the -D (no state for the key) and the order stays.
                DataStream<Row> changes = env.fromSource(source, WatermarkStrategy.noWatermarks(), "order changes").setParallelism(1)
                        .keyBy(r -> (Long) r.getField(0), org.apache.flink.api.common.typeinfo.Types.LONG);
                stream.createTemporaryView("order_changes", stream.fromChangelogStream(changes,
                        org.apache.flink.table.api.Schema.newBuilder().primaryKey("order_id").build(), ChangelogMode.upsert()));
                long generatorStart = System.nanoTime();
                TableResult ingest = stream.executeSql("INSERT INTO " + ODS + " SELECT * FROM order_changes");
                out.println("job 1 (order changes -> ODS) started: " + ingest.getJobClient().orElseThrow().getJobID());
                ingest.await(seconds * 3L + 120, TimeUnit.SECONDS);
                generatorSeconds = (System.nanoTime() - generatorStart) / 1e9;
                out.println(String.format("job 1 finished: %d changes generated and committed to ODS in %.1f s", count, generatorSeconds));
                lastDwsChangeMillis = Math.max(lastDwsChangeMillis, System.currentTimeMillis());
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() - lastDwsChangeMillis < QUIET_MILLIS && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
            } finally {
                if (aggregation != null) {
                    stopJob(aggregation);
                }
                stop.set(true);
                tailer.join();
            }
            out.println("job 2 cancelled after DWS had no change for " + QUIET_MILLIS / 1000 + " s (its last change was committed by then)");
        } finally {
            dwsLease.close();
            odsLease.close();
        }
        awaitStoresClosed();
        return check(count, generatorSeconds);
    }

    private void prepareStore() throws IOException {
        Files.createDirectories(dir);
        if (keep) {
            return;
        }
        for (String name : new String[] {ODS, DWS}) {
            Path table = dir.resolve(name);
            if (!Files.exists(table)) {
                continue;
            }
            if (!Files.isRegularFile(table.resolve("schema"))) {
                throw new IOException(table + " is not a Floe table (no schema file); not deleting it");
            }
            try (Stream<Path> files = Files.walk(table)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void stopJob(TableResult job) throws Exception {
        var client = job.getJobClient().orElseThrow();
        if (!client.getJobStatus().get().isGloballyTerminalState()) {
            client.cancel().get(60, TimeUnit.SECONDS);
        }
        try {
            job.await(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            // cancelled, as asked
        }
    }

    /** The tailer thread: follows ODS (counting) and DWS (printing, measuring freshness) until {@code stop}, then polls once more. */
    private void follow(ChangelogFollower ods, ChangelogFollower dws, AtomicBoolean stop, long start) {
        long nextProgress = System.currentTimeMillis() + PROGRESS_MILLIS;
        long lastOds = 0;
        long lastProgress = System.currentTimeMillis();
        ChangelogFollower.Handler odsHandler = (kind, row) -> {
            if (kind != RowKind.UPDATE_BEFORE) {
                odsChanges.incrementAndGet();
            }
        };
        ChangelogFollower.Handler dwsHandler = (kind, row) -> {
            long now = System.currentTimeMillis();
            dwsChanges.incrementAndGet();
            lastDwsChangeMillis = now;
            if (kind == RowKind.UPDATE_BEFORE) {
                return;
            }
            String text = String.format("%-8s orders=%-6s revenue=%s", row.getString(0), row.isNullAt(1) ? "null" : row.getLong(1),
                    row.isNullAt(2) ? "null" : row.getDecimal(2).toPlainString());
            if (kind == RowKind.DELETE) {
                if (printChanges) {
                    out.println("  dws " + kind.shortString() + " " + text);
                }
                return;
            }
            long fresh = row.isNullAt(3) ? -1 : now - row.getTimestampMillis(3);
            if (fresh >= 0) {
                freshness.add(fresh);
            }
            if (printChanges) {
                out.println("  dws " + kind.shortString() + " " + text + "  freshness " + fresh + " ms");
            }
        };
        while (true) {
            boolean last = stop.get();
            int n = ods.poll(odsHandler) + dws.poll(dwsHandler);
            long now = System.currentTimeMillis();
            if (now >= nextProgress) {
                long o = odsChanges.get();
                out.println(String.format("[%5.1f s] ods: %d changes committed (%.0f/s) | dws: %d changes | freshness p50 %d ms, p99 %d ms",
                        (System.nanoTime() - start) / 1e9, o, (o - lastOds) * 1000.0 / Math.max(1, now - lastProgress), dwsChanges.get(),
                        freshness.percentile(50), freshness.percentile(99)));
                lastOds = o;
                lastProgress = now;
                nextProgress = now + PROGRESS_MILLIS;
            }
            if (last) {
                return;
            }
            if (n == 0) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void awaitStoresClosed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (FloeStores.openStores() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static Map<String, OrderChanges.Totals> totals(StreamTableEnvironment tEnv, String query) throws Exception {
        Map<String, OrderChanges.Totals> totals = new TreeMap<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(query).collect()) {
            while (it.hasNext()) {
                Row r = it.next();
                totals.put((String) r.getField(0), new OrderChanges.Totals((Long) r.getField(1), scale2((BigDecimal) r.getField(2))));
            }
        }
        return totals;
    }

    private static BigDecimal scale2(BigDecimal d) {
        return d == null ? null : d.setScale(2, RoundingMode.UNNECESSARY);
    }

    private Summary check(long generated, double generatorSeconds) throws Exception {
        out.println("batch query over both tables:");
        StreamTableEnvironment batch = tableEnv(true);
        Map<String, OrderChanges.Totals> ods = totals(batch, "SELECT region, COUNT(*), SUM(amount) FROM " + ODS + " GROUP BY region");
        Map<String, OrderChanges.Totals> dws = totals(batch, "SELECT region, orders, revenue FROM " + DWS);
        Map<String, OrderChanges.Totals> expected = keep ? null : OrderChanges.replay(generated);
        out.println(String.format("  %-8s %22s %22s %s", "region", "ODS (orders, revenue)", "DWS (orders, revenue)", "agree"));
        TreeSet<String> regions = new TreeSet<>(ods.keySet());
        regions.addAll(dws.keySet());
        long odsRows = 0;
        for (String region : regions) {
            OrderChanges.Totals o = ods.get(region);
            OrderChanges.Totals d = dws.get(region);
            odsRows += o == null ? 0 : o.orders();
            out.println(String.format("  %-8s %22s %22s %s", region, o, d, o != null && o.equals(d) ? "yes" : "NO"));
        }
        boolean odsMatchesDws = ods.equals(dws);
        Boolean odsMatchesGenerator = expected == null ? null : expected.equals(ods);
        Summary s = new Summary(generated, generatorSeconds, odsChanges.get(), odsRows, dwsChanges.get(), dws.size(), freshness.count(),
                freshness.percentile(50), freshness.percentile(99), odsMatchesDws, odsMatchesGenerator);
        out.println("summary:");
        out.println(String.format("  rows         %d order changes generated in %.1f s (%.0f changes/s); ODS: %d changes committed, %d live orders",
                s.generated(), s.seconds(), s.throughput(), s.odsChanges(), s.odsRows()));
        out.println(String.format("  dws          %d changes over %d regions", s.dwsChanges(), s.regions()));
        out.println(String.format("  freshness    p50 %d ms, p99 %d ms over %d DWS changes (tailer saw it committed - newest updated_at it aggregates)",
                s.freshnessP50(), s.freshnessP99(), s.freshnessSamples()));
        out.println("  consistency  ODS vs DWS: " + (odsMatchesDws ? "agree" : "DISAGREE"));
        out.println("  generator    ODS vs an in-process replay of the generator: "
                + (odsMatchesGenerator == null ? "not checked (--keep)" : odsMatchesGenerator ? "agree" : "differ, expected " + expected));
        out.println(s.consistent() ? "demo OK" : "demo FAILED: ODS and DWS disagree, ODS differs from the generator, or ODS is empty");
        return s;
    }
}
