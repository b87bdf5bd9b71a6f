package io.floe.jmh.memtable;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
 * Loading a million entries (16-byte random keys, 100-byte values, random order) into an empty
 * table: Floe's memtable beside {@code ConcurrentSkipListMap} and rocksdbjni (memtable only). One
 * invocation is the whole load (single shot), so the score is the average time of one insert
 * while the table grows from empty to a million entries. With two threads each inserts its half
 * concurrently into the same table; the score is then per thread, and the table's throughput is
 * two inserts per score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4)
@Measurement(iterations = 8)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g", "-XX:+UseParallelGC", "-XX:MaxDirectMemorySize=4g"})
public class MemtableInsertBench {
    static final int ENTRIES = 1_000_000;

    @Param({"floe", "cslm", "cslm-nocopy", "rocksdb"})
    public String peer;

    BenchData data;
    KvPeer table;

    @Setup(Level.Trial)
    public void createTable() {
        data = new BenchData(ENTRIES, 0x5EED);
        table = KvPeer.create(peer, data);
    }

    @Setup(Level.Iteration)
    public void emptyTable() {
        table.reset();
    }

    @TearDown(Level.Trial)
    public void close() {
        table.close();
        data.close();
    }

    /** One thread's share of the entries, and its session of the current table. */
    @State(Scope.Thread)
    public static class Loader {
        KvPeer.Session session;
        int from;
        int to;

        @Setup(Level.Iteration)
        public void open(MemtableInsertBench bench, ThreadParams thread) {
            session = bench.table.newSession();
            int n = thread.getThreadCount();
            from = (int) ((long) ENTRIES * thread.getThreadIndex() / n);
            to = (int) ((long) ENTRIES * (thread.getThreadIndex() + 1) / n);
        }
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(ENTRIES)
    public void insert1Thread(Loader loader) {
        KvPeer.Session session = loader.session;
        for (int i = loader.from; i < loader.to; i++) {
            session.put(i);
        }
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(ENTRIES / 2)
    public void insert2Threads(Loader loader) {
        KvPeer.Session session = loader.session;
        for (int i = loader.from; i < loader.to; i++) {
            session.put(i);
        }
    }
}
