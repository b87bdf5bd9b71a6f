package io.floe.jmh.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    private static String result(String benchmark, String mode, String params, double score, double error, String unit, String extra) {
        return """
                {"benchmark":"io.floe.jmh.%s","mode":"%s","threads":1,"jdkVersion":"17.0.15","vmName":"OpenJDK 64-Bit Server VM",
                 "params":{%s},"primaryMetric":{"score":%s,"scoreError":%s,"scoreUnit":"%s"%s},
                 "secondaryMetrics":{"gc.alloc.rate.norm":{"score":0.01,"scoreError":0.0,"scoreUnit":"B/op"}}}
                """.formatted(benchmark, mode, params, score, error, unit, extra);
    }

    private static final String JSON = "[" + String.join(",",
            result("memtable.MemtableInsertBench.insert1Thread", "ss", "\"peer\":\"floe\"", 100, 5, "ns/op", ""),
            result("memtable.MemtableInsertBench.insert1Thread", "ss", "\"peer\":\"cslm\"", 200, 5, "ns/op", ""),
            result("memtable.MemtableInsertBench.insert1Thread", "ss", "\"peer\":\"rocksdb\"", 190, 20, "ns/op",
                    ",\"scorePercentiles\":{\"99.0\":190}"),
            result("changelog.ChangelogTailLatencyBench.floeAppendToTailer", "sample", "", 900, 10, "ns/op",
                    ",\"scorePercentiles\":{\"50.0\":800,\"99.0\":1500,\"99.9\":9000,\"99.99\":30000}")) + "]";

    @Test
    void goalsAreCheckedWithTheirErrorBounds() throws Exception {
        List<BenchResult> results = JmhJson.parse(JSON);
        assertThat(results).hasSize(4);
        List<Goal> goals = GoalFile.parse("""
                goal a
                  floe MemtableInsertBench.insert1Thread peer=floe
                  peer MemtableInsertBench.insert1Thread peer=cslm
                  ratio 1.5
                goal b
                  floe MemtableInsertBench.insert1Thread peer=floe
                  peer MemtableInsertBench.insert1Thread peer=rocksdb
                  ratio 2
                goal c
                  floe MemtableInsertBench.insert1Thread peer=floe
                  alloc 0
                goal d
                  floe ChangelogTailLatencyBench.floeAppendToTailer
                  percentile 99.0 2000
                goal e
                  floe ChangelogTailLatencyBench.floeAppendToTailer
                  percentile 99.99 25000
                goal f
                  floe SstScanBench.scanBigint codec=NONE
                  peer SstScanBench.memcpyBigint codec=NONE
                  ratio 0.25
                """);
        List<GoalCheck.Outcome> o = GoalCheck.check(goals, results);
        // 200/100 = 2.0, bounds 195/105 .. 205/95: all above 1.5.
        assertThat(o.get(0).measured()).isEqualTo(2.0);
        assertThat(o.get(0).verdict()).isEqualTo(GoalCheck.Verdict.HOLDS);
        // 190/100 = 1.9 < 2, but 210/95 > 2: the range straddles the target.
        assertThat(o.get(1).verdict()).isEqualTo(GoalCheck.Verdict.WITHIN_NOISE);
        assertThat(o.get(2).verdict()).isEqualTo(GoalCheck.Verdict.HOLDS);
        assertThat(o.get(3).verdict()).isEqualTo(GoalCheck.Verdict.HOLDS);
        assertThat(o.get(4).verdict()).isEqualTo(GoalCheck.Verdict.MISSED);
        assertThat(o.get(5).verdict()).isEqualTo(GoalCheck.Verdict.NOT_RUN);
        assertThat(results.get(2).percentiles()).as("percentiles of iteration scores are not latencies").isEmpty();
        assertThat(results.get(3).percentiles()).containsEntry("99.0", 1500.0);
    }

    @Test
    void theReportHasTablesGoalsAndCharts(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, JSON);
        Path report = BenchReportMain.write(json, dir.resolve("out"), "floe bench --quick");
        String md = Files.readString(report);
        assertThat(md).contains("## Goals").contains("memtable insert ≥ 1.5x ConcurrentSkipListMap (1 thread)").contains("**holds**")
                .contains("## MemtableInsertBench").contains("| insert1Thread | peer=cslm | 1 | ss | 200 |").contains("floe bench --quick")
                .contains("![MemtableInsertBench](MemtableInsertBench-insert1Thread.png)").contains("**not run**")
                .doesNotContain("uncompressed BIGINT scan").as("goals of suites that did not run are left out");
        assertThat(dir.resolve("out/MemtableInsertBench-insert1Thread.png")).isNotEmptyFile();
        assertThat(dir.resolve("out/ChangelogTailLatencyBench-floeAppendToTailer-percentiles.png")).isNotEmptyFile();
        byte[] png = Files.readAllBytes(dir.resolve("out/MemtableInsertBench-insert1Thread.png"));
        assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    private static final String KERNEL_JSON = "[" + String.join(",",
            result("kernel.KernelReadBench.scan", "avgt", "\"peer\":\"floe\",\"shape\":\"compacted\",\"codec\":\"lz4\"", 100, 10, "ns/op", ""),
            result("kernel.KernelReadBench.scan", "avgt", "\"peer\":\"rocksdb\",\"shape\":\"compacted\",\"codec\":\"lz4\"", 200, 10, "ns/op", ""),
            result("kernel.KernelReadBench.scan", "avgt", "\"peer\":\"paimon\",\"shape\":\"compacted\",\"codec\":\"lz4\"", 400, 20, "ns/op", ""),
            result("kernel.KernelReadBench.scan", "avgt", "\"peer\":\"paimon\",\"shape\":\"runs5\",\"codec\":\"lz4\"", 900, 20, "ns/op", ""),
            result("kernel.KernelWriteBench.write", "thrpt", "\"peer\":\"floe\"", 300_000, 0, "ops/s", ""),
            result("kernel.KernelWriteBench.write", "thrpt", "\"peer\":\"paimon\"", 600_000, 0, "ops/s", "")) + "]";

    @Test
    void withoutJmhsErrorTheIterationsSpreadIsTheError() throws Exception {
        String two = "[" + result("kernel.KernelReadBench.scan", "avgt", "\"peer\":\"floe\"", 2, 0, "ns/op", "").replace("\"scoreError\":0.0,", "\"scoreError\":\"NaN\",\"rawData\":[[1.0,3.5]],") + "]";
        assertThat(JmhJson.parse(two).get(0).error()).isEqualTo(1.5);
        String one = two.replace("[[1.0,3.5]]", "[[2.0]]");
        assertThat(JmhJson.parse(one).get(0).error()).isNaN();
    }

    @Test
    void everyPeerIsSetBesideFloeWithTheSameParameters(@TempDir Path dir) throws Exception {
        List<PeerRatios.Row> rows = PeerRatios.of(JmhJson.parse(KERNEL_JSON));
        // runs5 has no Floe result to compare with; the throughput ratio is Floe / peer.
        assertThat(rows).extracting(r -> r.peer().params().get("peer") + " " + r.sharedParams() + " " + r.ratio())
                .containsExactly("rocksdb codec=lz4, shape=compacted 2.0", "paimon codec=lz4, shape=compacted 4.0", "paimon  0.5");
        assertThat(rows.get(1).low()).isEqualTo(380.0 / 110);
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, KERNEL_JSON);
        String md = Files.readString(BenchReportMain.write(json, dir.resolve("out"), "floe bench --suite kernel"));
        assertThat(md).contains("## Floe beside its peers")
                .contains("| KernelReadBench.scan | codec=lz4, shape=compacted | paimon | 100 ns/op | 400 ns/op | 4.00x | 3.45–4.67 |")
                .contains("| KernelWriteBench.write |  | paimon | 300,000 ops/s | 600,000 ops/s | 0.50x | 0.50–0.50 |")
                .contains("scan of a compacted table ≥ 1x Apache Paimon").as("the shipped goals name the Paimon peer");
        Goal paimon = BenchReportMain.goals().stream().filter(g -> g.name().equals("kernel-scan-compacted-vs-paimon")).findFirst().orElseThrow();
        GoalCheck.Outcome o = GoalCheck.check(paimon, JmhJson.parse(KERNEL_JSON));
        assertThat(o.measured()).isEqualTo(4.0);
        assertThat(o.verdict()).isEqualTo(GoalCheck.Verdict.HOLDS);
    }

    @Test
    void aSweptParameterGivesOneOutcomePerValueAgainstThePeerWithTheSameValue(@TempDir Path dir) throws Exception {
        List<BenchResult> results = new java.util.ArrayList<>();
        for (String codec : List.of("LZ4", "ZSTD")) {
            for (String peer : List.of("floe", "rocksdb")) {
                double score = peer.equals("floe") ? (codec.equals("LZ4") ? 100 : 150) : 300;
                results.add(new BenchResult("io.floe.jmh.kernel.KernelReadBench.scan", "avgt", 1,
                        new java.util.TreeMap<>(java.util.Map.of("peer", peer, "codec", codec, "shape", "compacted")), score, 1, "ns/op",
                        Double.NaN, java.util.Map.of(), "17"));
            }
        }
        Goal scan = GoalFile.parse("goal s\n  text scans >= 2.5x\n  floe KernelReadBench.scan peer=floe shape=compacted\n"
                + "  peer KernelReadBench.scan peer=rocksdb shape=compacted\n  ratio 2.5\n").get(0);
        List<GoalCheck.Outcome> outcomes = GoalCheck.check(List.of(scan), results);
        assertThat(outcomes).extracting(o -> o.variant() + " " + o.measured() + " " + o.verdict())
                .containsExactly("codec=LZ4 3.0 holds", "codec=ZSTD 2.0 missed");
        assertThat(outcomes).allMatch(o -> o.peer().params().get("codec").equals(o.floe().params().get("codec")));
        String md = MarkdownReport.render("t", "m", "c", results, outcomes, java.util.Map.of());
        assertThat(md).contains("scans >= 2.5x [codec=LZ4]").contains("scans >= 2.5x [codec=ZSTD]");
    }

    @Test
    void theShippedGoalsParseAndBadGoalsNameTheirLine() throws Exception {
        assertThat(BenchReportMain.goals()).hasSizeGreaterThanOrEqualTo(14);
        assertThatThrownBy(() -> GoalFile.parse("goal x\n  floe A.b\n  ratio 2\n")).hasMessageContaining("goal 'x' (line 1)").hasMessageContaining("'peer'");
        assertThatThrownBy(() -> GoalFile.parse("floe A.b\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> GoalFile.parse("goal x\n  floe A.b\n  alloc 0\ngoal\n")).hasMessageContaining("line 4").hasMessageContaining("needs a name");
        List<BenchResult> two = JmhJson.parse(JSON);
        Goal ambiguous = GoalFile.parse("goal y\n  floe MemtableInsertBench.insert1Thread\n  alloc 0\n").get(0);
        assertThatThrownBy(() -> GoalCheck.check(ambiguous, two)).hasMessageContaining("more than one result");
    }
}
