package io.midicatalog.bench.profile;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, percentiles by sorting (HdrHistogram is not a dependency here
 * and a load test keeps at most {@value #MAX_SAMPLES} samples per recorder, so sorting is cheap).
 * Not thread-safe: one recorder per thread, merged at the end.
 */
final class Percentiles {
    static final int MAX_SAMPLES = 2_000_000;
    private long[] samples = new long[1024];
    private int size;
    private long dropped;

    void add(long nanos) {
        if (size == samples.length) {
            if (size >= MAX_SAMPLES) {
                dropped++;
                return;
            }
            samples = Arrays.copyOf(samples, Math.min(MAX_SAMPLES, size * 2));
        }
        samples[size++] = nanos;
    }

    void addAll(Percentiles other) {
        for (int i = 0; i < other.size; i++) {
            add(other.samples[i]);
        }
        dropped += other.dropped;
    }

    int size() {
        return size;
    }

    /** Percentile {@code p} (0-100) in milliseconds by nearest rank; 0 when empty. */
    double millis(double p, long[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    long[] sorted() {
        long[] copy = Arrays.copyOf(samples, size);
        Arrays.sort(copy);
        return copy;
    }
}
