package io.floe.jmh.changelog;

import io.floe.changelog.ChangelogWriter;
import io.floe.common.RowKind;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput of one changelog writer (8-byte key, 100-byte row, so a 132-byte record with
 * Floe's header and CRC32C) against raw Chronicle Queue appending the same 132 bytes per excerpt
 * with {@code ExcerptAppender.writeBytes} (Chronicle's fastest path) and through a writing document
 * (the API Floe uses, to split the gap). Records/s is the score; MB/s = score x 132 B. Sync mode
 * NONE (no fsync per append in either). Each iteration writes a new file; old ones are deleted
 * between iterations.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChangelogAppendBench {

    @State(Scope.Benchmark)
    public static class FloeState {
        ChangelogBenchSupport support;
        ChangelogWriter writer;
        long seq;

        @Setup(Level.Trial)
        public void open() {
            support = new ChangelogBenchSupport("append-floe");
            writer = ChangelogWriter.open(support.floeOptions());
        }

        @Setup(Level.Iteration)
        public void roll() {
            support.nextPeriod();
        }

        @TearDown(Level.Iteration)
        public void release() {
            writer.commit(seq);
            writer.releaseBelow(seq + 1);
        }

        @TearDown(Level.Trial)
        public void close() {
            writer.close();
            support.close();
        }
    }

    @State(Scope.Benchmark)
    public static class RawState {
        ChangelogBenchSupport support;
        SingleChronicleQueue queue;
        ExcerptAppender appender;
        Bytes<?> image;

        @Setup(Level.Trial)
        public void open() {
            support = new ChangelogBenchSupport("append-raw");
            queue = support.rawQueue();
            appender = queue.createAppender();
            image = support.rawImage();
        }

        @Setup(Level.Iteration)
        public void roll() {
            support.nextPeriod();
        }

        @TearDown(Level.Iteration)
        public void release() {
            support.deleteOldRawFiles();
        }

        @TearDown(Level.Trial)
        public void close() {
            image.releaseLast();
            appender.close();
            queue.close();
            support.close();
        }
    }

    @Benchmark
    public void floeAppend(FloeState s) {
        long seq = ++s.seq;
        s.support.key.putLong(0, seq);
        s.writer.append(seq, RowKind.UPDATE_AFTER, s.support.key, 0, ChangelogBenchSupport.KEY_BYTES,
                s.support.row, 0, ChangelogBenchSupport.ROW_BYTES);
    }

    @Benchmark
    public void rawChronicleAppend(RawState s) {
        s.image.writeLong(24, s.image.readLong(24) + 1);
        s.appender.writeBytes(s.image);
    }

    /** The raw peer through the same Chronicle API Floe uses (a writing document), to split the gap. */
    @Benchmark
    public void rawChronicleWritingDocument(RawState s) {
        s.image.writeLong(24, s.image.readLong(24) + 1);
        try (DocumentContext dc = s.appender.writingDocument()) {
            Bytes<?> out = dc.wire().bytes();
            long address = s.image.addressForRead(0);
            long pos = out.writePosition();
            out.writeSkip(ChangelogBenchSupport.RECORD_BYTES);
            out.nativeWrite(address, pos, ChangelogBenchSupport.RECORD_BYTES);
        }
    }
}
