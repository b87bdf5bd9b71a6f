package io.floe.jmh.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.row.BinaryRowLayout;
import io.floe.common.testing.Seeds;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kernel-benchmark engine stores and returns what it was given, for a random row shape, key
 * distribution (with upserts), codec and write buffer: against a model of the last row written per
 * key, its full scan after several flushes and a full compaction covers each live key once with its
 * newest row, and its point lookups find every written key and no other. Randomized: the printed
 * seed replays a failure ({@code -Dfloe.test.jvm.extra=-Dfloe.seed=N}).
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

    /** Returns what {@link KernelPeer#scanAll} returns for the live rows: Floe and Paimon sum the ids, RocksDB each row's last byte plus its length. */
    private static long expectedScan(String peer, KernelBenchData data, TreeMap<Long, Integer> newest) {
        long sum = 0;
        for (var e : newest.entrySet()) {
            sum += peer.equals("rocksdb") ? data.rows[e.getValue() * data.rowBytes + data.rowBytes - 1] + data.rowBytes : e.getKey();
        }
        return sum;
    }
}
