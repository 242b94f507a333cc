package io.midicatalog.bench.cli;

import io.midicatalog.MidiCatalog;
import io.midicatalog.PoolProfile;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
                    .withJdbcUrl(null).withDocker(false).withDataDirectory(dataDir).withStopAtExit(false));
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

    /**
     * An open catalog and the embedded server it runs on, if one was started. Closed by the
     * command, or at JVM exit (Ctrl-C) by its own shutdown hook, which first runs the tasks given
     * to {@link #beforeExit} (an import stopping at a batch boundary) and only then stops the
     * catalog and the server: the server's own hook is off (Java runs hooks in no set order, and
     * it stopped the server under the running import).
     */
    public static final class Session implements AutoCloseable {
        private final MidiCatalog catalog;
        private final @Nullable PostgresServer server;
        private final List<Runnable> beforeExit = new CopyOnWriteArrayList<>();
        private final Thread exitHook = new Thread(this::exit, "midi-catalog-exit");
        private boolean closed;

        Session(MidiCatalog catalog, @Nullable PostgresServer server) {
            this.catalog = catalog;
            this.server = server;
            Runtime.getRuntime().addShutdownHook(exitHook);
        }

        public MidiCatalog catalog() {
            return catalog;
        }

        public @Nullable PostgresServer server() {
            return server;
        }

        /** Runs the task at JVM exit before the catalog and the server stop (it should not take long). */
        public void beforeExit(Runnable task) {
            beforeExit.add(task);
        }

        /** What the shutdown hook does (package-private for tests). */
        void exit() {
            for (Runnable task : beforeExit) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    System.err.println("at exit: " + e);
                }
            }
            close();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (Thread.currentThread() != exitHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(exitHook);
                } catch (IllegalStateException e) {
                    // shutting down already: the hook closes too, and finds it closed
                }
            }
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
