package io.floe.cli;

import io.floe.changelog.ChangelogOptions;
import io.floe.changelog.ChangelogReader;
import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.changelog.TailerOptions;
import io.floe.common.error.FloeIOException;
import io.floe.common.row.RowReader;
import io.floe.common.schema.Schema;
import io.floe.common.schema.SchemaCodec;
import io.floe.kernel.table.TableLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code floe tail STORE TABLE}: prints a table's changelog (seq, bucket, kind, row). Reads the
 * buckets' changelogs directly, without opening the table, so it works beside a running writer in
 * another process.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print a table's changelog: seq, bucket, change kind (+I -U +U -D) and row.",
                "Works beside a running writer (another process): it reads the changelogs, not the table."})
final class TailCommand implements Callable<Integer> {
    @Mixin
    TableArgs args;

    @Option(names = "--bucket", paramLabel = "N", description = "Only this bucket (default: all).")
    Integer bucket;

    @Option(names = "--from-seq", paramLabel = "SEQ", description = "Start at this seq in each bucket (default: the start).")
    Long fromSeq;

    @Option(names = "--uncommitted", description = "Also show changes not yet committed by a checkpoint (read-uncommitted).")
    boolean uncommitted;

    @Option(names = "--follow", description = "Keep printing new changes until interrupted.")
    boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        TableLayout layout = new TableLayout(args.tableDir());
        Schema schema;
        try {
            schema = SchemaCodec.fromBytes(Files.readAllBytes(layout.schemaFile()), layout.schemaFile().toString());
        } catch (IOException e) {
            throw FloeIOException.of("read schema", layout.schemaFile(), e);
        }
        List<Integer> buckets = new ArrayList<>();
        try (var dirs = Files.list(layout.dir())) {
            dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("bucket-\\d+")).map(n -> Integer.parseInt(n.substring(7)))
                    .sorted().forEach(buckets::add);
        } catch (IOException e) {
            throw FloeIOException.of("list buckets", layout.dir(), e);
        }
        if (bucket != null) {
            if (!buckets.contains(bucket)) {
                System.err.println("floe tail: table '" + args.table + "' has buckets " + buckets + ", not " + bucket);
                return 2;
            }
            buckets = List.of(bucket);
        }
        IsolationLevel isolation = uncommitted ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.READ_COMMITTED;
        List<ChangelogReader> readers = new ArrayList<>();
        List<ChangelogTailer> tailers = new ArrayList<>();
        List<Integer> tailed = new ArrayList<>();
        try {
            for (int b : buckets) {
                Path dir = layout.changelogDir(b);
                if (!Files.isDirectory(dir)) {
                    continue; // a bucket that was never written
                }
                ChangelogReader reader = ChangelogReader.open(ChangelogOptions.defaults(dir));
                readers.add(reader);
                TailerOptions from = fromSeq == null ? TailerOptions.fromStart() : TailerOptions.fromSeq(fromSeq);
                tailers.add(reader.newTailer(from.withIsolation(isolation)));
                tailed.add(b);
            }
            RowReader row = new RowReader(schema).source("changelog of " + args.table);
            long printed = 0;
            while (true) {
                boolean any = false;
                for (int i = 0; i < tailers.size(); i++) {
                    ChangelogRecord r;
                    while ((r = tailers.get(i).poll()) != null) {
                        row.wrap(r.row(), 0, r.rowLength());
                        System.out.println(r.seq() + "\t" + tailed.get(i) + "\t" + r.kind().shortString() + "\t" + RowText.format(row));
                        printed++;
                        any = true;
                    }
                }
                if (!follow) {
                    break;
                }
                if (!any) {
                    TimeUnit.MILLISECONDS.sleep(1);
                }
            }
            System.err.println(printed + " changes");
            return 0;
        } finally {
            for (ChangelogTailer t : tailers) {
                t.close();
            }
            for (ChangelogReader r : readers) {
                r.close();
            }
        }
    }
}
