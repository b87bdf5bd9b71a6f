package io.floe.jmh.changelog;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.ChangelogWriter;
import io.floe.changelog.TailerOptions;
import io.floe.common.RowKind;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of starting a tailer at a random seq in a changelog of {@code records} records (one file):
 * Floe's binary search over queue indexes, against the linear alternative (a tailer from the start
 * reading until it reaches the seq). Both include creating the tailer and reading the first record.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ChangelogSeekBench {
    @Param("1000000")
    int records;

    ChangelogBenchSupport support;
    ChangelogWriter writer;
    SplittableRandom random;

    @Setup(Level.Trial)
    public void open() {
        support = new ChangelogBenchSupport("seek");
        writer = ChangelogWriter.open(support.floeOptions());
        for (long seq = 1; seq <= records; seq++) {
            support.key.putLong(0, seq);
            writer.append(seq, RowKind.INSERT, support.key, 0, ChangelogBenchSupport.KEY_BYTES,
                    support.row, 0, ChangelogBenchSupport.ROW_BYTES);
        }
        writer.commit(1);
        random = new SplittableRandom(42);
    }

    @TearDown(Level.Trial)
    public void close() {
        writer.close();
        support.close();
    }

    @Benchmark
    public long floeBinarySearchSeek() {
        long target = 1 + random.nextLong(records);
        try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromSeq(target))) {
            return tailer.poll().seq();
        }
    }

    @Benchmark
    public long linearScanSeek() {
        long target = 1 + random.nextLong(records);
        try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart())) {
            ChangelogRecord record;
            while ((record = tailer.poll()).seq() < target) {
                // Reading on: the linear alternative to a seq index.
            }
            return record.seq();
        }
    }
}
