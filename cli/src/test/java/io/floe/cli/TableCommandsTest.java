package io.floe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table commands against a real store written through the kernel. */
class TableCommandsTest {
    @TempDir
    static Path store;

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }
    }

    @BeforeAll
    static void writeTable() {
        Schema schema = Schema.builder().column("id", "BIGINT NOT NULL").column("name", "STRING").column("amount", "DECIMAL(10, 2)").primaryKey("id").build();
        try (Floe floe = Floe.open(store, FloeOptions.defaults()); OffHeapAllocator allocator = new OffHeapAllocator("test", Long.MAX_VALUE)) {
            Table table = floe.table("orders", schema, TableOptions.defaults().withBuckets(2));
            Map<Integer, BucketWriter> writers = new HashMap<>();
            try (RowWriter row = new RowWriter(schema, allocator)) {
                RowReader reader = new RowReader(schema);
                for (long id = 1; id <= 10; id++) {
                    row.reset().setLong(0, id).setString(1, "order-" + id).setObject(2, new java.math.BigDecimal(id + ".50"));
                    int length = row.complete();
                    int bucket = table.bucketOf(reader.wrap(row.buffer(), 0, length));
                    writers.computeIfAbsent(bucket, table::writer).upsert(row.buffer(), 0, length);
                }
                row.reset().setLong(0, 3).setString(1, "order-3");
                int length = row.complete();
                writers.get(table.bucketOf(reader.wrap(row.buffer(), 0, length))).delete(row.buffer(), 0, length);
            }
            for (BucketWriter w : writers.values()) {
                w.commit(1);
                w.flush();
                w.close();
            }
        }
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            var cli = FloeCli.commandLine();
            cli.setErr(new java.io.PrintWriter(System.err, true));
            int code = cli.execute(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void scanPrintsTheLiveRows() {
        Run r = run("scan", store.toString(), "orders");
        assertThat(r.code()).isZero();
        assertThat(r.lines().get(0)).isEqualTo("id\tname\tamount");
        assertThat(r.lines().subList(1, r.lines().size())).hasSize(9).contains("7\torder-7\t7.50").noneMatch(l -> l.startsWith("3\t"));
        assertThat(run("scan", store.toString(), "orders", "--columns", "name", "--limit", "2").lines()).hasSize(3).first().isEqualTo("name");
    }

    @Test
    void getFindsAKeyOrSaysThereIsNone() {
        Run hit = run("get", store.toString(), "orders", "5");
        assertThat(hit.code()).isZero();
        assertThat(hit.lines()).containsExactly("id\tname\tamount", "5\torder-5\t5.50");
        Run deleted = run("get", store.toString(), "orders", "3");
        assertThat(deleted.code()).isEqualTo(1);
        assertThat(deleted.err()).contains("no row with key [3]");
        Run bad = run("get", store.toString(), "orders", "five");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("key column 'id'").contains("BIGINT NOT NULL");
    }

    @Test
    void tailPrintsTheCommittedChanges() {
        Run r = run("tail", store.toString(), "orders");
        assertThat(r.code()).isZero();
        assertThat(r.lines()).hasSize(11);
        assertThat(r.lines()).filteredOn(l -> l.contains("\t-D\t")).hasSize(1).first().asString().contains("\t3\t");
        assertThat(run("tail", store.toString(), "orders", "--bucket", "7").err()).contains("has buckets [0, 1], not 7");
    }

    @Test
    void aMissingTableIsNamed() {
        Run r = run("scan", store.toString(), "customers");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("'TABLE'").contains("customers");
    }

    @Test
    void inspectShowsATablesBucketsRunsAndFiles() {
        Run r = run("inspect", store.toString(), "orders");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("table orders in ").contains("bucket 0: last seq").contains("bucket 1: last seq")
                .contains("committed seq").contains("run ").contains(".sst").contains("total: ");
        Run missing = run("inspect", store.toString(), "no-such-table");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("no-such-table");
    }

    @Test
    void sqlRunsAScriptOnAnEmbeddedClusterAndReportsTheFailingStatement() throws Exception {
        Path dir = store.resolve("sql-store");
        Path script = store.resolve("script.sql");
        java.nio.file.Files.writeString(script, String.join("\n",
                "-- a comment; with a semicolon",
                "CREATE TABLE t (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED)",
                "  WITH ('connector' = 'floe', 'path' = '" + dir + "', 'bucket' = '2');",
                "INSERT INTO t VALUES (1, 'a'), (2, 'b; not a split'), (3, 'it''s');",
                "SELECT id, name FROM t WHERE id >= 2;"));
        Run r = run("sql", script.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("b; not a split").contains("it's").doesNotContain("| a ");
        java.nio.file.Files.writeString(script, "CREATE TABLE u (id BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'floe', 'path' = '"
                + dir + "', 'bucket' = 'many');\nINSERT INTO u VALUES (1);");
        Run bad = run("sql", script.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("statement 2").contains("bucket");
    }

    @Test
    void sqlScriptsSplitAtSemicolonsOutsideQuotesAndComments() {
        assertThat(SqlScript.statements("a;b ; ;\n-- a comment; not a split\nc;\n-- only a comment\n")).containsExactly("a", "b",
                "-- a comment; not a split\nc");
        assertThat(SqlScript.statements("x 'a;b' `c;d` /* e;f */ y; z -- g;h\n")).containsExactly("x 'a;b' `c;d` /* e;f */ y", "z -- g;h");
        assertThat(SqlScript.statements("s 'it''s; ok'")).containsExactly("s 'it''s; ok'");
        assertThatThrownBy(() -> SqlScript.statements("a;\nb 'open")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    }
}
