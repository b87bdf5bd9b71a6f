package io.floe.changelog;

import io.floe.common.error.ClosedException;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * What the writer and readers of one changelog share in one process: the Chronicle queue, the
 * watermark mapping, the tailer pins and the file naming. Creates tailers.
 *
 * <p>Memory: owns the queue's mappings (via Chronicle) and the watermark mapping; {@link #close()}
 * releases both. Tailers must be closed before.
 *
 * <p>Threads: {@link #newTailer} and the accessors are safe from any thread; close from the owner.
 */
final class ChangelogQueue implements AutoCloseable {
    private final ChangelogOptions options;
    private final SingleChronicleQueue queue;
    private final Watermark watermark;
    private final QueueFiles files;
    private final TailerPins pins = new TailerPins();
    private final String name;
    private volatile boolean closed;

    ChangelogQueue(ChangelogOptions options, SingleChronicleQueue queue, Watermark watermark) {
        this.options = options;
        this.queue = queue;
        this.watermark = watermark;
        this.files = new QueueFiles(options.dir(), queue);
        this.name = options.dir().toString();
    }

    ChangelogOptions options() {
        return options;
    }

    SingleChronicleQueue queue() {
        return queue;
    }

    Watermark watermark() {
        return watermark;
    }

    QueueFiles files() {
        return files;
    }

    TailerPins pins() {
        return pins;
    }

    String name() {
        return name;
    }

    Path dir() {
        return options.dir();
    }

    /**
     * Returns a new tailer positioned per {@code tailerOptions}. Throws {@link SeqReleasedException}
     * if it should start at a seq that was released, {@link ClosedException} if closed,
     * {@link io.floe.common.error.CorruptionException} if the seek meets a damaged record (STRICT).
     */
    ChangelogTailer newTailer(TailerOptions tailerOptions) {
        if (closed) {
            throw new ClosedException("changelog " + name);
        }
        ExcerptTailer tailer = queue.createTailer();
        boolean ok = false;
        try {
            TailerPins.Pin pin;
            int cycle;
            long floor;
            synchronized (pins) {
                pin = pins.register();
                try {
                    long released = watermark.releasedSeq();
                    switch (tailerOptions.start()) {
                        case START -> {
                            tailer.toStart();
                            cycle = queue.firstCycle();
                            floor = released;
                        }
                        case END -> {
                            tailer.toEnd();
                            cycle = queue.lastCycle();
                            floor = released;
                        }
                        case SEQ -> {
                            long seq = tailerOptions.seq();
                            if (seq <= released) {
                                throw new SeqReleasedException(name, "a tailer cannot start at seq " + seq, released);
                            }
                            cycle = new SeqIndex(queue, files, options.recoveryMode()).seek(tailer, seq);
                            floor = seq - 1;
                        }
                        default -> throw new IllegalStateException(tailerOptions.start().toString());
                    }
                    pin.moveTo(cycle);
                } catch (RuntimeException e) {
                    pins.remove(pin);
                    throw e;
                }
            }
            tailer.singleThreadedCheckReset();
            ChangelogTailer result = new ChangelogTailer(this, tailer, pin, cycle, tailerOptions, floor);
            ok = true;
            return result;
        } finally {
            if (!ok) {
                tailer.close();
            }
        }
    }

    void tailerClosed(TailerPins.Pin pin) {
        pins.remove(pin);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                queue.close();
            } finally {
                watermark.close();
            }
        }
    }
}
