package io.floe.jmh.changelog;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.ChangelogWriter;
import io.floe.changelog.TailerOptions;
import io.floe.changelog.WaitStrategy;
import io.floe.common.RowKind;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
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
 * Writer-to-tailer latency at a paced 100k records/s: each invocation appends one 132-byte record
 * and spins until a second thread, busy-polling a tailer (read-uncommitted), has read it and
 * published its seq. JMH samples the invocation time, so the score is append + delivery +
 * decode (CRC check) + a cache-line hand-back, end to end. Pacing (one record per 10 us) happens
 * in an invocation-level setup, outside the measured time. The raw Chronicle peer does the same
 * with a raw appender and a raw tailer reading the 132 bytes.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ChangelogTailLatencyBench {
    static final long PERIOD_NANOS = 10_000;

    /** Pacing and the hand-back from the tailer thread. */
    abstract static class Paced {
        final AtomicLong seen = new AtomicLong();
        volatile boolean running = true;
        Thread thread;
        long seq;
        long nextSlot;

        @Setup(Level.Invocation)
        public void pace() {
            long now;
            while ((now = System.nanoTime()) < nextSlot) {
                Thread.onSpinWait();
            }
            nextSlot = Math.max(nextSlot + PERIOD_NANOS, now);
        }

        void startTailer(Runnable pollOnce, String name) {
            thread = new Thread(() -> {
                while (running) {
                    pollOnce.run();
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        void stopTailer() throws InterruptedException {
            running = false;
            thread.join();
        }

        void awaitSeen(long target) {
            while (seen.getAcquire() < target) {
                Thread.onSpinWait();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class FloeState extends Paced {
        ChangelogBenchSupport support;
        ChangelogWriter writer;
        ChangelogTailer tailer;

        @Setup(Level.Trial)
        public void open() {
            support = new ChangelogBenchSupport("tail-floe");
            writer = ChangelogWriter.open(support.floeOptions());
            tailer = writer.newTailer(TailerOptions.fromEnd().withWaitStrategy(WaitStrategy.BUSY_SPIN));
            startTailer(() -> {
                ChangelogRecord record = tailer.poll();
                if (record != null) {
                    seen.setRelease(record.seq());
                }
            }, "floe-tailer");
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            stopTailer();
            tailer.close();
            writer.close();
            support.close();
        }
    }

    @State(Scope.Benchmark)
    public static class RawState extends Paced {
        ChangelogBenchSupport support;
        SingleChronicleQueue queue;
        ExcerptAppender appender;
        ExcerptTailer rawTailer;
        Bytes<?> image;

        @Setup(Level.Trial)
        public void open() {
            support = new ChangelogBenchSupport("tail-raw");
            queue = support.rawQueue();
            appender = queue.createAppender();
            image = support.rawImage();
            rawTailer = queue.createTailer().toEnd();
            rawTailer.singleThreadedCheckReset();
            startTailer(() -> {
                try (DocumentContext dc = rawTailer.readingDocument()) {
                    if (dc.isPresent()) {
                        Bytes<?> bytes = dc.wire().bytes();
                        seen.setRelease(bytes.readLong(bytes.readPosition() + 24));
                    }
                }
            }, "raw-tailer");
        }

        @TearDown(Level.Trial)
        public void close() throws InterruptedException {
            stopTailer();
            rawTailer.close();
            image.releaseLast();
            appender.close();
            queue.close();
            support.close();
        }
    }

    @Benchmark
    public void floeAppendToTailer(FloeState s) {
        long seq = ++s.seq;
        s.support.key.putLong(0, seq);
        s.writer.append(seq, RowKind.UPDATE_AFTER, s.support.key, 0, ChangelogBenchSupport.KEY_BYTES,
                s.support.row, 0, ChangelogBenchSupport.ROW_BYTES);
        s.awaitSeen(seq);
    }

    @Benchmark
    public void rawChronicleAppendToTailer(RawState s) {
        long seq = ++s.seq;
        s.image.writeLong(24, seq);
        s.appender.writeBytes(s.image);
        s.awaitSeen(seq);
    }
}
