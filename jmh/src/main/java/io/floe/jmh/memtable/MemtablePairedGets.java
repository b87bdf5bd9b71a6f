package io.floe.jmh.memtable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Lookup cost of Floe's memtable and its peers measured in interleaved slices in one JVM, for a
 * shared, noisy machine: all three tables hold the same million entries, and each round times a
 * slice of lookups on each table in turn (rotating which goes first), so that background load
 * that drifts over seconds hits every table alike. Reports the median time per lookup of each
 * table and the median over rounds of the per-round ratio against Floe. Single-threaded.
 *
 * <p>Run: {@code java <Floe JVM flags> -Xms3g -Xmx3g -XX:+UseParallelGC -cp <jmh classpath>
 * io.floe.jmh.memtable.MemtablePairedGets [rounds] [lookupsPerSlice]}.
 */
public final class MemtablePairedGets {
    private static final int ENTRIES = 1_000_000;
    private static final String[] PEERS = {"floe", "cslm", "rocksdb"};

    private MemtablePairedGets() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int slice = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        BenchData data = new BenchData(ENTRIES, 0x5EED);
        List<KvPeer> tables = new ArrayList<>();
        List<KvPeer.Session> sessions = new ArrayList<>();
        for (String name : PEERS) {
            KvPeer table = KvPeer.create(name, data);
            KvPeer.Session session = table.newSession();
            for (int i = 0; i < ENTRIES; i++) {
                session.put(i);
            }
            tables.add(table);
            sessions.add(session);
        }
        int warmupRounds = 5;
        double[][] nsPerGet = new double[PEERS.length][rounds];
        int[] position = new int[PEERS.length];
        long sink = 0;
        for (int round = -warmupRounds; round < rounds; round++) {
            for (int k = 0; k < PEERS.length; k++) {
                int p = Math.floorMod(k + round, PEERS.length);
                KvPeer.Session session = sessions.get(p);
                int at = position[p];
                long start = System.nanoTime();
                for (int n = 0; n < slice; n++) {
                    sink += session.get(data.lookupOrder[at]);
                    if (++at == ENTRIES) {
                        at = 0;
                    }
                }
                long elapsed = System.nanoTime() - start;
                position[p] = at;
                if (round >= 0) {
                    nsPerGet[p][round] = (double) elapsed / slice;
                }
            }
        }
        System.out.printf(Locale.ROOT, "rounds %d, %d lookups per slice, checksum %d%n", rounds, slice, sink);
        System.out.println("| table | median ns/lookup | min | max | median per-round ratio (peer time / floe time) |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (int p = 0; p < PEERS.length; p++) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = nsPerGet[p][r] / nsPerGet[0][r];
            }
            double[] sorted = nsPerGet[p].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %s |%n", PEERS[p], median(nsPerGet[p]), sorted[0],
                    sorted[rounds - 1], p == 0 ? "1" : String.format(Locale.ROOT, "%.2f", median(ratios)));
        }
        tables.forEach(KvPeer::close);
        data.close();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
