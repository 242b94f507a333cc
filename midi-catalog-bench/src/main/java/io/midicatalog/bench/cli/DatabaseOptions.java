package io.midicatalog.bench.cli;

import io.midicatalog.MidiCatalog;
import io.midicatalog.PoolProfile;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The database options every command shares ({@code @Mixin}). With {@code --database-url} the
 * command uses that server; without it, an embedded PostgreSQL 17 whose data directory persists
 * ({@code --data-dir}, default {@code $MIDI_CATALOG_HOME/pg17} or {@code ~/.midi-catalog/pg17}),
 * so {@code import} then {@code search} work across runs.
 */
public final class DatabaseOptions {
    static final String DATABASE = "midi_catalog";

    @Option(names = "--database-url", paramLabel = "URL",
            description = "PostgreSQL JDBC URL (jdbc:postgresql://host:port/db?user=..&password=..). "
                    + "Default: embedded PostgreSQL in --data-dir.")
    @Nullable String databaseUrl;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory of the embedded PostgreSQL (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:MIDI_CATALOG_HOME:-${sys:user.home}/.midi-catalog}/pg17")
    Path dataDir;

    /** Opens (and migrates) the catalog; close the returned session when done. */
    public Session open(PoolProfile profile) {
        return open(profile, true);
    }

    /**
     * Opens the catalog; with {@code migrate == false} the schema is left as found (profiling a
     * catalog we did not create must change nothing).
     */
    public Session open(PoolProfile profile, boolean migrate) {
        PostgresServer server = null;
        String url;
        String user = null;
        String password = null;
        if (databaseUrl != null) {
            url = databaseUrl;
        } else {
            server = PostgresProvisioning.start(PostgresProvisioning.Options.defaults()
                    .withJdbcUrl(null).withDocker(false).withDataDirectory(dataDir));
            ensureDatabase(server);
            url = server.jdbcUrl(DATABASE);
            user = server.username();
            password = server.password();
        }
        try {
            MidiCatalog catalog = MidiCatalog.builder().jdbcUrl(url).username(user).password(password)
                    .poolProfile(profile).build();
            if (migrate) {
                catalog.migrate();
            }
            return new Session(catalog, server);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            throw e;
        }
    }

    private static void ensureDatabase(PostgresServer server) {
        try (var c = server.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (java.sql.SQLException e) {
            throw new io.midicatalog.api.CatalogException("could not create database " + DATABASE + ": "
                    + e.getMessage(), e);
        }
    }

    /** An open catalog and the embedded server it runs on, if one was started. */
    public record Session(MidiCatalog catalog, @Nullable PostgresServer server) implements AutoCloseable {
        @Override
        public void close() {
            try {
                catalog.close();
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }
}
