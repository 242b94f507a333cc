package io.midicatalog.diagnostics;

import java.util.Objects;

/**
 * HikariCP pool state from its MXBean at one moment. {@code available} is false when the catalog
 * was given a DataSource that is not a HikariCP pool (all counts are then 0).
 * Acquire timeouts are not exposed by the MXBean; the CLI's load test counts its own.
 */
public record PoolMetrics(boolean available, String poolName, int active, int idle, int waiting, int total,
                          int maxPoolSize, int minIdle, long acquireTimeoutMillis) {
    public PoolMetrics {
        Objects.requireNonNull(poolName, "poolName");
    }

    static PoolMetrics unavailable(String what) {
        return new PoolMetrics(false, what, 0, 0, 0, 0, 0, 0, 0);
    }
}
