package io.midicatalog.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.midicatalog.PoolSettings;
import io.midicatalog.api.CatalogException;
import io.midicatalog.provision.JdbcUrls;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.ds.PGSimpleDataSource;

/** Builds the pools the catalog owns and describes DataSources in error messages. Not API. */
public final class DataSources {
    private DataSources() {}

    private static final ConcurrentHashMap<String, AtomicInteger> POOLS_NAMED = new ConcurrentHashMap<>();

    /**
     * The name for the next pool of a profile: the profile's name for the first pool of the JVM,
     * then {@code -2}, {@code -3}... HikariCP registers each pool's JMX beans under its name, and a
     * second pool of the same name would get none (and log an error).
     */
    static String poolName(String base) {
        int n = POOLS_NAMED.computeIfAbsent(base, k -> new AtomicInteger()).incrementAndGet();
        return n == 1 ? base : base + "-" + n;
    }

    public static HikariDataSource pool(@Nullable String jdbcUrl, @Nullable String user, @Nullable String password,
                                        PoolSettings settings) {
        if (jdbcUrl == null) {
            throw new IllegalStateException("jdbcUrl is required");
        }
        JdbcUrls.Parsed parsed = JdbcUrls.parse(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName("midi-catalog-" + settings.name()));
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(settings.minIdle());
        config.setConnectionTimeout(settings.acquireTimeout().toMillis());
        config.setInitializationFailTimeout(settings.acquireTimeout().toMillis());
        config.setIdleTimeout(settings.idleTimeout().toMillis());
        config.setMaxLifetime(settings.maxLifetime().toMillis());
        config.setRegisterMbeans(true);
        config.addDataSourceProperty("prepareThreshold", settings.prepareThreshold());
        config.addDataSourceProperty("preparedStatementCacheQueries", settings.statementCacheQueries());
        config.addDataSourceProperty("preparedStatementCacheSizeMiB", settings.statementCacheMiB());
        long connectSeconds = Math.max(1, settings.acquireTimeout().toSeconds());
        config.addDataSourceProperty("connectTimeout", connectSeconds);
        config.addDataSourceProperty("loginTimeout", connectSeconds);
        config.addDataSourceProperty("ApplicationName", "midi-catalog");
        config.addDataSourceProperty("reWriteBatchedInserts", true);
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CatalogException("cannot connect to PostgreSQL at " + parsed.describe()
                    + (user != null ? " as " + user : "") + ": " + cause.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CatalogException("cannot open a pool to PostgreSQL at " + parsed.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether a connection is inside an open transaction (a statement ran since it began): one a
     * transaction-aware DataSource hands out within the application's transaction.
     */
    public static boolean insideTransaction(Connection connection) throws SQLException {
        return connection.isWrapperFor(BaseConnection.class)
                && connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE;
    }

    /** {@code host:port/db} of a DataSource when it can be known, else its class name. */
    public static String describe(DataSource dataSource) {
        String url = null;
        if (dataSource instanceof HikariDataSource hikari) {
            url = hikari.getJdbcUrl();
        } else if (dataSource instanceof PGSimpleDataSource pg) {
            url = pg.getURL();
        }
        if (url != null) {
            try {
                return JdbcUrls.parse(url).describe();
            } catch (IllegalArgumentException e) {
                return JdbcUrls.redact(url);
            }
        }
        return dataSource.getClass().getName();
    }

    /** A CatalogException for a failure to reach the database behind a DataSource. */
    public static CatalogException unreachable(DataSource dataSource, String doing, SQLException cause) {
        return new CatalogException("cannot " + doing + ": PostgreSQL at " + describe(dataSource)
                + " failed: " + cause.getMessage(), cause);
    }
}
