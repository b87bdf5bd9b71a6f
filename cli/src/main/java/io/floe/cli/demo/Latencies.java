package io.floe.cli.demo;

import java.util.Arrays;

/** Latency samples in milliseconds, and their percentiles. Thread-safe. */
public final class Latencies {
    private long[] samples = new long[1024];
    private int size;

    public synchronized void add(long millis) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = millis;
    }

    public synchronized int count() {
        return size;
    }

    /** Returns the nearest-rank percentile {@code p} (0 < p <= 100), or -1 without samples. */
    public synchronized long percentile(double p) {
        if (size == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size, rank) - 1)];
    }
}
