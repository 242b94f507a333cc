package io.midicatalog;

import java.time.Duration;

/**
 * HikariCP pool sizes for the workloads of the guide, each a starting point that
 * {@link PoolSettings#toBuilder()} can override value by value. All profiles recycle connections
 * after one hour and keep pgjdbc's server-side prepared statements (a statement run
 * {@link PoolSettings#prepareThreshold()} times is prepared once per connection and its plan reused).
 */
public enum PoolProfile {
    /** A developer's laptop: max 5, min 1, acquire 5 s. */
    DEVELOPMENT(5, 1, Duration.ofSeconds(5), Duration.ofMinutes(10)),
    /** Few long import transactions: max 15, min 5, acquire 10 s, idle 600 s. */
    IMPORT_HEAVY(15, 5, Duration.ofSeconds(10), Duration.ofSeconds(600)),
    /** Many short queries: max 25, min 10, acquire 10 s, idle 300 s. */
    SEARCH_HEAVY(25, 10, Duration.ofSeconds(10), Duration.ofSeconds(300)),
    /** Both: max 20, min 5, acquire 10 s, idle 600 s. */
    MIXED(20, 5, Duration.ofSeconds(10), Duration.ofSeconds(600));

    private final PoolSettings settings;

    PoolProfile(int maxPoolSize, int minIdle, Duration acquireTimeout, Duration idleTimeout) {
        this.settings = new PoolSettings(name().toLowerCase(java.util.Locale.ROOT), maxPoolSize, minIdle,
                acquireTimeout, idleTimeout, Duration.ofHours(1), PoolSettings.DEFAULT_PREPARE_THRESHOLD,
                PoolSettings.DEFAULT_STATEMENT_CACHE_QUERIES, PoolSettings.DEFAULT_STATEMENT_CACHE_MIB);
    }

    public PoolSettings settings() {
        return settings;
    }
}
