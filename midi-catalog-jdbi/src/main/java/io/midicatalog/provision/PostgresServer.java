package io.midicatalog.provision;

import javax.sql.DataSource;

/**
 * A running PostgreSQL server that midi-catalog's tests, benchmarks or CLI can use, found or
 * started by {@link PostgresProvisioning}. Closing it stops what was started and nothing else.
 */
public interface PostgresServer extends AutoCloseable {

    /** How the server was found. */
    enum Kind {
        /** An explicit JDBC URL ({@code --database-url} or {@code MIDI_CATALOG_PG_URL}). */
        EXPLICIT,
        /** A Testcontainers {@code postgres:17} container. */
        TESTCONTAINERS,
        /** zonky embedded PostgreSQL 17, binaries from Maven Central. */
        EMBEDDED
    }

    Kind kind();

    /** JDBC URL of the server's default database (no credentials in it). */
    String jdbcUrl();

    String username();

    String password();

    /** A simple (unpooled) DataSource of the default database. */
    DataSource dataSource();

    /** JDBC URL of another database on the same server. */
    String jdbcUrl(String database);

    /** A simple (unpooled) DataSource of another database on the same server. */
    DataSource dataSource(String database);

    /**
     * Creates a new empty database with a unique name that starts with {@code prefix} and returns
     * its name. Used to give each test class a database of its own.
     */
    String createDatabase(String prefix);

    /** {@code SELECT version()} of the server. */
    String version();

    @Override
    void close();
}
