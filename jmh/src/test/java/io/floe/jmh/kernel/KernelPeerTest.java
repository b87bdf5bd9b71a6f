package io.floe.jmh.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.row.BinaryRowLayout;
import io.floe.common.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kernel-benchmark engine stores and returns what it was given, for a random row shape, key
 * distribution (with upserts), codec and write buffer: against a model of the last row written per
 * key, its full scan after several flushes and a full compaction covers each live key once with its
 * newest row, and its point lookups find every written key and no other. The same holds when
 * several writers write at once as the write benchmark drives them ({@link WriterGang}), and the
 * rows they write are the rows the benchmark counts. Randomized: the printed seed replays a failure
 * ({@code -Dfloe.test.jvm.extra=-Dfloe.seed=N}; which writer wins a chunk is up to the scheduler).
 */
class KernelPeerTest {
    @ParameterizedTest
    @ValueSource(strings = {"floe", "rocksdb", "paimon"})
    void anEngineReturnsTheNewestRowOfEveryKeyWritten(String peer) {
        SplittableRandom random = Seeds.random("KernelPeerTest." + peer);
        int columns = 2 + random.nextInt(7);
        int rowBytes = BinaryRowLayout.fixedBytes(columns) + random.nextInt(200);
        KeyDistribution distribution = KeyDistribution.values()[random.nextInt(KeyDistribution.values().length)];
        String codec = new String[] {"none", "lz4", "zstd"}[random.nextInt(3)];
        int keys = 500 + random.nextInt(2_000);
        int writes = keys + random.nextInt(3 * keys);
        KernelBenchData data = new KernelBenchData(distribution.ids(writes, keys, random.nextLong()), random.nextLong(), columns, rowBytes);
        KernelBenchData absent = new KernelBenchData(new long[] {-1, keys, keys + 1L, Long.MAX_VALUE}, 1, columns, rowBytes);
        System.out.println("[shape] " + peer + ": columns=" + columns + " valueBytes=" + rowBytes + " distribution=" + distribution
                + " codec=" + codec + " keys=" + keys + " writes=" + writes);
        TreeMap<Long, Integer> newest = new TreeMap<>();
        try (KernelPeer engine = KernelPeer.create(peer, KernelPeerConfig.of(data, codec, 1, false))) {
            engine.prepare(data);
            int flushes = 1 + random.nextInt(4);
            for (int i = 0; i < writes; i++) {
                engine.put(data, i);
                newest.put(data.id(i), i);
                if (i % (writes / flushes + 1) == writes / flushes) {
                    engine.flush();
                }
            }
            engine.flush();
            assertThat(engine.scanAll()).as("scan over sorted runs").isEqualTo(expectedScan(peer, data, newest));
            // name is never null: Floe and Paimon count the rows, RocksDB (no projection) scans whole rows
            assertThat(engine.scanColumn("name")).as("projected scan over sorted runs")
                    .isEqualTo(peer.equals("rocksdb") ? expectedScan(peer, data, newest) : newest.size());
            engine.compactAll();
            assertThat(engine.scanAll()).as("scan after a full compaction").isEqualTo(expectedScan(peer, data, newest));
            try (KernelPeer.Reader reader = engine.newReader()) {
                for (int i : newest.values()) {
                    assertThat(reader.get(data, i)).as("lookup of written id %d", data.id(i)).isTrue();
                }
                for (int i = 0; i < absent.count; i++) {
                    assertThat(reader.get(absent, i)).as("lookup of id %d, never written", absent.id(i)).isFalse();
                }
            }
        }
    }

    /**
     * {@code writers} (or 2 to 4 for 0) writers, of which 1 to all are driven by calling threads and
     * the rest run in threads of their own, write a random number of batches concurrently with
     * background flushes and compactions: every row they say they wrote arrives (a scan equal to
     * the model's, a lookup of every key), a key is written only by its own writer (Floe's bucket
     * writers reject others), and the rows written are the batches asked for, plus at most the
     * allowance's lead when writers run in threads of their own.
     */
    @ParameterizedTest
    @CsvSource({"floe, 1", "floe, 0", "rocksdb, 1", "rocksdb, 0", "paimon, 1", "paimon, 0"})
    void concurrentWritersWriteEveryRowTheyCount(String peer, int writersOrRandom) throws Exception {
        SplittableRandom random = Seeds.random("KernelPeerTest.writers." + peer + "." + writersOrRandom);
        int writers = writersOrRandom > 0 ? writersOrRandom : 2 + random.nextInt(3);
        int coordinators = 1 + random.nextInt(writers);
        KeyDistribution distribution = KeyDistribution.values()[random.nextInt(KeyDistribution.values().length)];
        int keys = 1_000 + random.nextInt(3_000);
        int count = keys + random.nextInt(2 * keys);
        int batch = WriterGang.CHUNK * (1 + random.nextInt(10));
        int calls = 1 + random.nextInt(3 * count / batch / coordinators + 1);
        KernelBenchData data = new KernelBenchData(distribution.ids(count, keys, random.nextLong()), random.nextLong());
        KernelBenchData absent = new KernelBenchData(new long[] {-1, keys, keys + 1L, Long.MAX_VALUE}, 1);
        System.out.println("[shape] " + peer + ": writers=" + writers + " coordinators=" + coordinators + " distribution=" + distribution
                + " keys=" + keys + " rows=" + count + " batch=" + batch + " calls=" + calls);
        TreeMap<Long, Integer> newest = new TreeMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(coordinators);
        try (KernelPeer engine = KernelPeer.create(peer, KernelPeerConfig.of(data, "lz4", 1, true, writers))) {
            engine.prepare(data);
            WriterGang gang = new WriterGang(engine, data, count, coordinators, batch);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < coordinators; c++) {
                    int coordinator = c;
                    running.add(pool.submit(() -> {
                        for (int k = 0; k < calls; k++) {
                            gang.write(coordinator);
                        }
                    }));
                }
                for (Future<?> f : running) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                gang.close();
            }
            long asked = (long) coordinators * calls * batch;
            if (writers == 1) {
                assertThat(gang.rowsWritten()).as("rows written by the one writer, the caller").isEqualTo(asked);
            } else {
                // Several writers may each take a chunk while the last rows a call waits for are
                // being written, whether they run in callers' threads or their own.
                assertThat(gang.rowsWritten()).as("rows written: the batches asked for, plus at most the lead")
                        .isBetween(asked, asked + gang.lead());
            }
            gang.forEachWritten(i -> newest.put(data.id(i), i));
            engine.flush();
            assertThat(engine.scanAll()).as("scan after the concurrent writes").isEqualTo(expectedScan(peer, data, newest));
            try (KernelPeer.Reader reader = engine.newReader()) {
                for (int i : newest.values()) {
                    assertThat(reader.get(data, i)).as("lookup of written id %d", data.id(i)).isTrue();
                }
                for (int i = 0; i < absent.count; i++) {
                    assertThat(reader.get(absent, i)).as("lookup of id %d, never written", absent.id(i)).isFalse();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns what {@link KernelPeer#scanAll} returns for the live rows: Floe and Paimon sum the ids, RocksDB each row's last byte plus its length. */
    private static long expectedScan(String peer, KernelBenchData data, TreeMap<Long, Integer> newest) {
        long sum = 0;
        for (var e : newest.entrySet()) {
            sum += peer.equals("rocksdb") ? data.rows[e.getValue() * data.rowBytes + data.rowBytes - 1] + data.rowBytes : e.getKey();
        }
        return sum;
    }
}
