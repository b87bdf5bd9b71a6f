package io.floe.jmh.memtable;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Point lookups of present keys, in random order, in a table of a million entries (16-byte random
 * keys, 100-byte values): Floe's memtable beside {@code ConcurrentSkipListMap} and rocksdbjni
 * (memtable only). Each lookup reads bits of the value found. Throughput over all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g", "-XX:+UseParallelGC", "-XX:MaxDirectMemorySize=4g"})
public class MemtableGetBench {
    static final int ENTRIES = 1_000_000;

    @Param({"floe", "cslm", "rocksdb"})
    public String peer;

    BenchData data;
    KvPeer table;

    @Setup(Level.Trial)
    public void load() {
        data = new BenchData(ENTRIES, 0x5EED);
        table = KvPeer.create(peer, data);
        KvPeer.Session session = table.newSession();
        for (int i = 0; i < ENTRIES; i++) {
            session.put(i);
        }
        for (int i = 0; i < ENTRIES; i++) {
            if (session.get(i) == -1) {
                throw new IllegalStateException(peer + " lost entry " + i);
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        table.close();
        data.close();
    }

    /** One thread's session and position in the lookup order. */
    @State(Scope.Thread)
    public static class Reader {
        KvPeer.Session session;
        int[] order;
        int next;

        @Setup(Level.Trial)
        public void open(MemtableGetBench bench, ThreadParams thread) {
            session = bench.table.newSession();
            order = bench.data.lookupOrder;
            next = (int) ((long) ENTRIES * thread.getThreadIndex() / thread.getThreadCount());
        }

        int nextEntry() {
            int i = order[next];
            if (++next == order.length) {
                next = 0;
            }
            return i;
        }
    }

    @Benchmark
    @Threads(1)
    public long get1Thread(Reader reader) {
        return reader.session.get(reader.nextEntry());
    }

    @Benchmark
    @Threads(2)
    public long get2Threads(Reader reader) {
        return reader.session.get(reader.nextEntry());
    }
}
