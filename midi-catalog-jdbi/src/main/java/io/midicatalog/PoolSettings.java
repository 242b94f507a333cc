package io.midicatalog;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a HikariCP pool the catalog owns. Start from a {@link PoolProfile} and change
 * what you need: {@code PoolProfile.SEARCH_HEAVY.settings().toBuilder().maxPoolSize(40).build()}.
 *
 * @param name pool name (thread names, JMX)
 * @param maxPoolSize most connections; keep it near 2-4 x the server's cores
 * @param minIdle connections kept open while idle
 * @param acquireTimeout longest wait for a connection, and for the first connection at start
 * @param idleTimeout an idle connection above {@code minIdle} is closed after this
 * @param maxLifetime every connection is replaced after this
 * @param prepareThreshold pgjdbc: executions before a statement is prepared on the server
 * @param statementCacheQueries pgjdbc: prepared statements cached per connection
 * @param statementCacheMiB pgjdbc: memory for them per connection
 */
public record PoolSettings(String name, int maxPoolSize, int minIdle, Duration acquireTimeout,
                           Duration idleTimeout, Duration maxLifetime, int prepareThreshold,
                           int statementCacheQueries, int statementCacheMiB) {
    static final int DEFAULT_PREPARE_THRESHOLD = 3;
    static final int DEFAULT_STATEMENT_CACHE_QUERIES = 512;
    static final int DEFAULT_STATEMENT_CACHE_MIB = 8;

    public PoolSettings {
        Objects.requireNonNull(name, "name");
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be positive: " + maxPoolSize);
        }
        if (minIdle < 0 || minIdle > maxPoolSize) {
            throw new IllegalArgumentException("minIdle must be 0-" + maxPoolSize + ": " + minIdle);
        }
        requirePositive("acquireTimeout", acquireTimeout, Duration.ofMillis(250));
        requirePositive("idleTimeout", idleTimeout, Duration.ofSeconds(10));
        requirePositive("maxLifetime", maxLifetime, Duration.ofSeconds(30));
        if (prepareThreshold < 0) {
            throw new IllegalArgumentException("prepareThreshold must be >= 0: " + prepareThreshold);
        }
        if (statementCacheQueries < 0) {
            throw new IllegalArgumentException("statementCacheQueries must be >= 0: " + statementCacheQueries);
        }
        if (statementCacheMiB < 0) {
            throw new IllegalArgumentException("statementCacheMiB must be >= 0: " + statementCacheMiB);
        }
    }

    private static void requirePositive(String what, Duration value, Duration min) {
        Objects.requireNonNull(value, what);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some values of a profile's settings; {@link #build()} validates them all. */
    public static final class Builder {
        private String name;
        private int maxPoolSize;
        private int minIdle;
        private Duration acquireTimeout;
        private Duration idleTimeout;
        private Duration maxLifetime;
        private int prepareThreshold;
        private int statementCacheQueries;
        private int statementCacheMiB;

        private Builder(PoolSettings s) {
            name = s.name;
            maxPoolSize = s.maxPoolSize;
            minIdle = s.minIdle;
            acquireTimeout = s.acquireTimeout;
            idleTimeout = s.idleTimeout;
            maxLifetime = s.maxLifetime;
            prepareThreshold = s.prepareThreshold;
            statementCacheQueries = s.statementCacheQueries;
            statementCacheMiB = s.statementCacheMiB;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder maxPoolSize(int value) {
            maxPoolSize = value;
            return this;
        }

        public Builder minIdle(int value) {
            minIdle = value;
            return this;
        }

        public Builder acquireTimeout(Duration value) {
            acquireTimeout = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder maxLifetime(Duration value) {
            maxLifetime = value;
            return this;
        }

        public Builder prepareThreshold(int value) {
            prepareThreshold = value;
            return this;
        }

        public Builder statementCacheQueries(int value) {
            statementCacheQueries = value;
            return this;
        }

        public Builder statementCacheMiB(int value) {
            statementCacheMiB = value;
            return this;
        }

        public PoolSettings build() {
            return new PoolSettings(name, maxPoolSize, minIdle, acquireTimeout, idleTimeout, maxLifetime,
                    prepareThreshold, statementCacheQueries, statementCacheMiB);
        }
    }
}
