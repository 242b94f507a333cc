package io.midicatalog.testing;

import io.midicatalog.MidiCatalog;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import javax.sql.DataSource;

/**
 * Databases for tests: one PostgreSQL server per JVM from {@link PostgresProvisioning#shared()}
 * (explicit URL, else Testcontainers, else embedded), and a fresh database per caller.
 */
public final class TestDatabases {
    private TestDatabases() {}

    public static PostgresServer server() {
        return PostgresProvisioning.shared();
    }

    /** A new empty database; its name starts with the test class's simple name. */
    public static DataSource fresh(Class<?> testClass) {
        PostgresServer server = server();
        return server.dataSource(server.createDatabase("t_" + testClass.getSimpleName()));
    }

    /** A new database with the schema migrated, wrapped in a catalog over a simple DataSource. */
    public static MidiCatalog migratedCatalog(Class<?> testClass) {
        MidiCatalog catalog = new MidiCatalog(fresh(testClass));
        catalog.migrate();
        return catalog;
    }
}
