package io.floe.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.floe.changelog.SyncMode;
import io.floe.common.testing.Seeds;
import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.common.RowKind;
import io.floe.common.row.RowReader;
import io.floe.kernel.options.AggregateFunction;
import io.floe.kernel.options.ChangelogProducer;
import io.floe.kernel.options.AggregationDeletePolicy;
import io.floe.kernel.options.Compression;
import io.floe.kernel.options.CompressionOptions;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.MergeEngineKind;
import io.floe.kernel.options.MergeEngineOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import io.floe.sst.Predicate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernel's metamorphic model test: one seeded random sequence of upsert, delete, commit, get,
 * scan (whole, filtered, projected), snapshot, flush, compact and reopen runs against a {@link TreeMap}
 * oracle of the merge engine's semantics, under several configurations (4 KiB memtables so
 * flushes happen constantly, each SST codec, a large memtable that never flushes); every
 * configuration must give the oracle's reads, hence the same reads as every other.
 * Replay with {@code -Dfloe.seed=N}; longer runs with {@code -Dfloe.soak.ops=N}.
 */
class MetamorphicTableTest {
    private static final int OPS = Integer.getInteger("floe.soak.ops", 1_200);
    private static final int KEYS = 150;

    @TempDir
    Path dir;

    record Config(String name, long memtableBytes, Compression codec, ChangelogProducer producer) {
    }

    private static final List<Config> CONFIGS = List.of(new Config("tiny-none", 4 << 10, Compression.NONE, ChangelogProducer.NONE),
            new Config("tiny-lz4", 4 << 10, Compression.LZ4, ChangelogProducer.NONE),
            new Config("tiny-zstd", 4 << 10, Compression.ZSTD, ChangelogProducer.NONE),
            new Config("large-lz4", 8 << 20, Compression.LZ4, ChangelogProducer.NONE),
            new Config("tiny-lz4-full-changelog", 4 << 10, Compression.LZ4, ChangelogProducer.FULL));

    @ParameterizedTest
    @EnumSource(MergeEngineKind.class)
    void sameReadsEverywhere(MergeEngineKind kind) {
        long seed = Seeds.seed("MetamorphicTableTest." + kind);
        List<String> first = null;
        for (Config c : CONFIGS) {
            List<String> transcript = run(kind, c, new SplittableRandom(seed), dir.resolve(c.name()));
            if (first == null) {
                first = transcript;
            } else {
                assertEquals(first, transcript, "config " + c.name() + " read differently from " + CONFIGS.get(0).name() + " (seed " + seed + ")");
            }
        }
    }

    private static MergeEngineOptions engine(MergeEngineKind kind) {
        return kind == MergeEngineKind.AGGREGATION
                ? MergeEngineOptions.aggregation(Map.of("v", AggregateFunction.SUM), AggregateFunction.LAST_NON_NULL,
                AggregationDeletePolicy.REMOVE_ROW)
                : MergeEngineOptions.of(kind);
    }

    /** The oracle: the engine's fold of an old row (or null) and a written row. */
    private static Object[] merge(MergeEngineKind kind, Object[] old, Object[] written) {
        if (old == null) {
            return written;
        }
        return switch (kind) {
            case DEDUPLICATE -> written;
            case FIRST_ROW -> old;
            case PARTIAL_UPDATE -> new Object[] {old[0], written[1] != null ? written[1] : old[1], written[2] != null ? written[2] : old[2]};
            case AGGREGATION -> new Object[] {old[0], old[1] == null ? written[1] : written[1] == null ? old[1] : (Long) old[1] + (Long) written[1],
                    written[2] != null ? written[2] : old[2]};
        };
    }

    private List<String> run(MergeEngineKind kind, Config c, SplittableRandom r, Path root) {
        TableOptions options = TableOptions.defaults().withBuckets(2).withWriteBuffer(new WriteBufferOptions(c.memtableBytes(), 2))
                .withCompression(new CompressionOptions(c.codec(), c.codec(), c.codec(), 3)).withMergeEngine(engine(kind)).withChangelogProducer(c.producer());
        List<String> transcript = new ArrayList<>();
        TreeMap<Long, Object[]> model = new TreeMap<>();
        List<Object[]> saved = new ArrayList<>();
        try (Floe floe = Floe.open(root, FloeOptions.defaults(), SyncMode.NONE)) {
            Table table = floe.createTable("t", TableHarness.SCHEMA, options);
            TableHarness h = new TableHarness(table);
            Snapshot snapshot = null;
            TreeMap<Long, Object[]> snapshotModel = null;
            long checkpoint = 0;
            try {
                for (int op = 0; op < OPS; op++) {
                    int dice = r.nextInt(100);
                    long id = r.nextInt(KEYS);
                    if (dice < 55) {
                        Long v = r.nextInt(5) == 0 ? null : (long) r.nextInt(1000);
                        String s = r.nextInt(5) == 0 ? null : "s" + r.nextInt(50);
                        h.upsert(id, v, s);
                        model.put(id, merge(kind, model.get(id), new Object[] {id, v, s}));
                    } else if (dice < 65) {
                        h.delete(id);
                        model.remove(id);
                    } else if (dice < 75) {
                        Object[] got;
                        if (r.nextBoolean()) {
                            got = h.get(id);
                        } else {
                            try (Lookup lookup = table.newLookup()) {
                                got = h.lookup(lookup, id);
                            }
                        }
                        assertArrayEquals(model.get(id), got, c.name() + " op " + op + ": get(" + id + ")");
                        transcript.add("get " + id + " " + Arrays.toString(got));
                    } else if (dice < 80) {
                        try (Snapshot s = table.snapshot()) {
                            List<List<Object>> rows = sorted(TableHarness.scanAll(s, ScanOptions.all()));
                            assertEquals(expected(model, 0, Long.MAX_VALUE), rows, c.name() + " op " + op + ": scan");
                            transcript.add("scan " + rows);
                        }
                    } else if (dice < 84) {
                        long lo = r.nextInt(KEYS);
                        long hi = lo + r.nextInt(40);
                        try (Snapshot s = table.snapshot()) {
                            List<List<Object>> rows = new ArrayList<>(TableHarness.scanAll(s, ScanOptions.all().withColumns(List.of("s", "id"))
                                    .withPredicate(Predicate.and(Predicate.ge("id", lo), Predicate.lt("id", hi)))));
                            List<List<Object>> want = new ArrayList<>();
                            for (List<Object> row : expected(model, lo, hi)) {
                                want.add(Arrays.asList(row.get(2), row.get(0)));
                            }
                            want.sort(Comparator.comparing(x -> (Long) x.get(1)));
                            rows.sort(Comparator.comparing(x -> (Long) x.get(1)));
                            assertEquals(want, rows, c.name() + " op " + op + ": filtered projected scan [" + lo + ", " + hi + ")");
                            transcript.add("range " + rows);
                        }
                    } else if (dice < 88) {
                        if (snapshot != null) {
                            List<List<Object>> rows = sorted(TableHarness.scanAll(snapshot, ScanOptions.all()));
                            assertEquals(expected(snapshotModel, 0, Long.MAX_VALUE), rows, c.name() + " op " + op + ": old snapshot");
                            snapshot.close();
                        }
                        snapshot = table.snapshot();
                        snapshotModel = copy(model);
                    } else if (dice < 94) {
                        h.commit(++checkpoint);
                    } else if (dice < 96) {
                        h.flush();
                    } else if (dice < 98) {
                        for (int b = 0; b < table.bucketCount(); b++) {
                            table.compact(b);
                        }
                    } else {
                        if (snapshot != null) {
                            snapshot.close();
                            snapshot = null;
                        }
                        h.close();
                        table.close();
                        table = floe.openTable("t");
                        h = new TableHarness(table);
                        transcript.add("reopen");
                    }
                }
                List<List<Object>> rows;
                try (Snapshot s = table.snapshot()) {
                    rows = sorted(TableHarness.scanAll(s, ScanOptions.all()));
                }
                assertEquals(expected(model, 0, Long.MAX_VALUE), rows, c.name() + ": final scan");
                if (c.producer() == ChangelogProducer.FULL) {
                    assertEquals(expected(model, 0, Long.MAX_VALUE), replayChangelog(table), c.name() + ": the full changelog, replayed");
                }
            } finally {
                if (snapshot != null) {
                    snapshot.close();
                }
                h.close();
                table.close();
            }
        }
        return transcript;
    }

    /** Applies every bucket's changelog (+I/+U put, -U/-D remove, each checked against the state) and returns the rows. */
    private static List<List<Object>> replayChangelog(Table table) {
        TreeMap<Long, Object[]> state = new TreeMap<>();
        RowReader reader = new RowReader(TableHarness.SCHEMA);
        for (int b = 0; b < table.bucketCount(); b++) {
            try (ChangelogTailer tailer = table.tail(b, 0, IsolationLevel.READ_UNCOMMITTED)) {
                long retracted = -1;
                for (ChangelogRecord r = tailer.poll(); r != null; r = tailer.poll()) {
                    Object[] row = reader.wrap(r.row(), 0, r.rowLength()).toObjects();
                    long id = (Long) row[0];
                    if (r.kind() == RowKind.UPDATE_AFTER) {
                        assertEquals(retracted, id, "seq " + r.seq() + ": +U of key " + id + " must follow its -U");
                    }
                    retracted = r.kind() == RowKind.UPDATE_BEFORE ? id : -1;
                    if (r.kind().isAdd()) {
                        assertTrue(!state.containsKey(id), "seq " + r.seq() + " " + r.kind().shortString() + " of present key " + id);
                        state.put(id, row);
                    } else {
                        assertArrayEquals(state.remove(id), row, "seq " + r.seq() + " " + r.kind().shortString() + " must carry the old row");
                    }
                }
            }
        }
        return expected(state, 0, Long.MAX_VALUE);
    }

    private static TreeMap<Long, Object[]> copy(TreeMap<Long, Object[]> m) {
        TreeMap<Long, Object[]> c = new TreeMap<>();
        m.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }

    private static List<List<Object>> expected(TreeMap<Long, Object[]> model, long lo, long hi) {
        List<List<Object>> out = new ArrayList<>();
        model.subMap(lo, hi).values().forEach(v -> out.add(Arrays.asList(v)));
        return out;
    }

    private static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(x -> (Long) x.get(0)));
        return out;
    }
}
