package io.floe.jmh.kernel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Several writers of one engine writing at once, with every row counted once: how
 * {@link KernelWriteBench} measures {@code writers} concurrent writers inside JMH's accounting.
 *
 * <p>Each writer owns a slice of the rows, the rows whose keys are its own ({@link KernelPeer#writerOf}),
 * in their order in the data, and writes them round and round through its own
 * {@link KernelPeer.Writer}. The first {@code coordinators} writers are run by the calling (JMH)
 * threads inside {@link #write}; the others by threads of their own, started here. All of them take
 * rows in chunks of {@value #CHUNK} from one allowance: each {@link #write} call raises it by
 * {@code batch} rows and returns once {@code batch} more rows have been written by anyone, the
 * caller writing chunks of its own slice until then. So a call accounts for exactly {@code batch}
 * rows ({@code @OperationsPerInvocation}); writers are never lock-stepped per call, because the
 * allowance runs a lead ({@link #lead()} rows) ahead of what the calls wait for, so that a writer
 * with its own thread never waits for a call to return; and the rows written outside JMH's
 * measured time are bounded by that lead per iteration (1,000 rows for up to 5 writers, against
 * hundreds of thousands in a default iteration; those written before an iteration's timer starts
 * and those left after it stops offset each other).
 * With one writer the caller writes every row, in the data's order, as a plain loop would.
 *
 * <p>Threads: {@link #write} from the coordinating threads, coordinator {@code c} from one thread at
 * a time; {@link #close}, {@link #rowsWritten} and {@link #forEachWritten} once no call of
 * {@link #write} is under way. The shared counters are atomics; each slice's cursor and count are
 * touched by their writer's thread only, and read by {@link #rowsWritten} after {@link #close} has
 * joined the writer threads (coordinators' slices: after the coordinating threads were joined).
 */
final class WriterGang implements AutoCloseable {
    /** The rows a writer takes from the allowance at once. */
    static final int CHUNK = 100;

    private final Slice[] slices;
    private final int batch;
    private final int lead;
    private final Thread[] threads;
    /** Rows the writers may take: {@link #lead} more than the calls so far wait for. */
    private final AtomicLong granted;
    /** Rows taken (a multiple of {@link #CHUNK}, never above {@link #granted}). */
    private final AtomicLong claimed = new AtomicLong();
    /** Rows written. */
    private final AtomicLong done = new AtomicLong();
    private volatile boolean stopping;
    /** The first failure of a writer with its own thread, rethrown by {@link #write} and {@link #close}. */
    private volatile Throwable failure;

    /**
     * Splits rows {@code 0..count-1} of {@code data} among {@code engine}'s writers and starts a
     * thread for each writer from {@code coordinators} on. Requires: {@code engine.prepare(data)}
     * was called. Throws {@link IllegalArgumentException} if {@code coordinators} is not 1 to the
     * engine's writers or {@code batch} is not a positive multiple of {@value #CHUNK},
     * {@link IllegalStateException} if a writer's slice is empty.
     */
    WriterGang(KernelPeer engine, KernelBenchData data, int count, int coordinators, int batch) {
        int writers = engine.writers;
        if (coordinators < 1 || coordinators > writers) {
            throw new IllegalArgumentException("coordinating threads must be 1 to the " + writers + " writers, got " + coordinators);
        }
        if (batch <= 0 || batch % CHUNK != 0) {
            throw new IllegalArgumentException("batch must be a positive multiple of " + CHUNK + ", got " + batch);
        }
        this.batch = batch;
        this.lead = Math.max(batch, 2 * writers * CHUNK);
        this.granted = new AtomicLong(lead);
        int[] owner = new int[count];
        int[] sizes = new int[writers];
        for (int i = 0; i < count; i++) {
            owner[i] = engine.writerOf(data, i);
            sizes[owner[i]]++;
        }
        int[][] rows = new int[writers][];
        for (int w = 0; w < writers; w++) {
            if (sizes[w] == 0) {
                throw new IllegalStateException("writer " + w + " of " + writers + " owns none of the " + count + " rows");
            }
            rows[w] = new int[sizes[w]];
            sizes[w] = 0;
        }
        for (int i = 0; i < count; i++) {
            rows[owner[i]][sizes[owner[i]]++] = i;
        }
        slices = new Slice[writers];
        for (int w = 0; w < writers; w++) {
            slices[w] = new Slice(engine.writer(w), data, rows[w]);
        }
        threads = new Thread[writers - coordinators];
        for (int t = 0; t < threads.length; t++) {
            Slice own = slices[coordinators + t];
            threads[t] = new Thread(() -> runWriter(own), "kernel-bench-writer-" + (coordinators + t));
            threads[t].setDaemon(true);
            threads[t].start();
        }
    }

    /** Returns the rows the allowance runs ahead of what the calls of {@link #write} wait for. */
    int lead() {
        return lead;
    }

    /**
     * Lets {@code batch} more rows be written and returns once they have been (by any writer),
     * writing chunks of coordinator {@code coordinator}'s own slice meanwhile. Throws
     * {@link IllegalStateException} if a writer with its own thread failed.
     */
    void write(int coordinator) {
        long target = granted.addAndGet(batch) - lead;
        Slice own = slices[coordinator];
        int idle = 0;
        while (done.get() < target) {
            if (claimAndWrite(own)) {
                idle = 0;
            } else {
                checkFailure();
                idle = idle(idle);
            }
        }
    }

    /** Returns iff it took a chunk from the allowance and wrote it with {@code slice}. */
    private boolean claimAndWrite(Slice slice) {
        long c;
        do {
            c = claimed.get();
            if (c + CHUNK > granted.get()) {
                return false;
            }
        } while (!claimed.compareAndSet(c, c + CHUNK));
        slice.write(CHUNK);
        done.addAndGet(CHUNK);
        return true;
    }

    private void runWriter(Slice own) {
        try {
            int idle = 0;
            while (!stopping) {
                if (claimAndWrite(own)) {
                    idle = 0;
                } else {
                    idle = idle(idle);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Waits a little: spins first (a chunk is usually a few hundred microseconds away), then yields, then parks. */
    private static int idle(int idle) {
        if (idle < 100) {
            Thread.onSpinWait();
        } else if (idle < 200) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(20_000);
        }
        return idle + 1;
    }

    private void checkFailure() {
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("a writer thread failed: " + t, t);
        }
    }

    /** Returns the rows written by every writer so far. Requires: {@link #close} returned. */
    long rowsWritten() {
        long sum = 0;
        for (Slice s : slices) {
            sum += s.written;
        }
        return sum;
    }

    /** Gives each row index written, writer by writer, each writer's in the order written. Requires: {@link #close} returned. */
    void forEachWritten(IntConsumer row) {
        for (Slice s : slices) {
            for (long k = 0; k < s.written; k++) {
                row.accept(s.rows[(int) (k % s.rows.length)]);
            }
        }
    }

    /**
     * Stops the writer threads (each after its chunk) and waits for them. Throws
     * {@link IllegalStateException} if one failed or does not stop within a minute.
     */
    @Override
    public void close() {
        stopping = true;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the writer threads", e);
            }
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within a minute");
            }
        }
        checkFailure();
    }

    /** One writer's rows and where it is in them. Single owner: its writer's thread. */
    private static final class Slice {
        final KernelPeer.Writer writer;
        final KernelBenchData data;
        final int[] rows;
        int cursor;
        long written;

        Slice(KernelPeer.Writer writer, KernelBenchData data, int[] rows) {
            this.writer = writer;
            this.data = data;
            this.rows = rows;
        }

        void write(int n) {
            int c = cursor;
            for (int k = 0; k < n; k++) {
                writer.put(data, rows[c]);
                c = c + 1 == rows.length ? 0 : c + 1;
            }
            cursor = c;
            written += n;
        }
    }
}
