package io.midicatalog.bench.jmh;

import io.midicatalog.MidiCatalog;
import io.midicatalog.PoolProfile;
import io.midicatalog.api.CatalogException;
import io.midicatalog.bench.generate.CatalogRowGenerator;
import io.midicatalog.internal.SchemaMigrator;
import io.midicatalog.provision.PostgresProvisioning;
import io.midicatalog.provision.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The fixed, seeded dataset every JMH benchmark measures against, built once per scale and kept.
 *
 * <p>Server: {@code MIDI_CATALOG_PG_URL} if set (a database {@code bench_<key>} on it), else
 * Testcontainers when Docker answers (rebuilt per run), else embedded PostgreSQL 17 whose data
 * directory {@code $MIDI_CATALOG_BENCH_HOME} (default {@code ~/.midi-catalog/bench}) keeps one
 * database per dataset key. The key names the dataset version, the rows and the seed, so a 1M-row
 * run reuses its data; a new schema migration or a new {@link #DATASET_VERSION} (bump it when the
 * generator changes) builds a new dataset.
 * The embedded server runs with {@code synchronous_commit=off} and {@code fsync=off}.
 */
public final class BenchDataset implements AutoCloseable {
    /** Bump when the generator's output or the schema changes what benchmarks read. */
    public static final int DATASET_VERSION = 1;
    public static final long SEED = 20261128L;

    /** Fills an empty migrated catalog with {@code rows} generated files. */
    @FunctionalInterface
    public interface Loader {
        void load(DataSource dataSource, int rows, long seed) throws Exception;
    }

    private final PostgresServer server;
    private final MidiCatalog catalog;
    private final String database;
    private final int rows;

    private BenchDataset(PostgresServer server, MidiCatalog catalog, String database, int rows) {
        this.server = server;
        this.catalog = catalog;
        this.database = database;
        this.rows = rows;
    }

    /**
     * Opens the dataset of {@code rows} generated catalog rows ({@link CatalogRowGenerator}: the
     * synthetic library's distributions, written with COPY), building it first when absent.
     */
    public static BenchDataset open(int rows) {
        return open(rows, (ds, n, seed) -> CatalogRowGenerator.generate(ds, n, seed));
    }

    /** Opens the dataset of {@code rows} files, building it first with {@code loader} when it does not exist yet. */
    public static BenchDataset open(int rows, Loader loader) {
        return open(rows, loader, PoolProfile.SEARCH_HEAVY);
    }

    public static BenchDataset open(int rows, Loader loader, PoolProfile profile) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be positive: " + rows);
        }
        PostgresServer server = PostgresProvisioning.start(PostgresProvisioning.Options.defaults()
                .withDataDirectory(System.getenv(PostgresProvisioning.URL_ENV) == null ? home().resolve("pg17") : null));
        // the schema version is part of the key: a new migration means a new dataset
        String schema = SchemaMigrator.libraryVersion(server.dataSource()).replace('.', '_');
        String key = String.format(Locale.ROOT, "bench_v%d_s%s_%d_%d", DATASET_VERSION, schema, rows, SEED);
        try {
            boolean exists = databaseExists(server, key);
            if (!exists) {
                createDatabase(server, key);
            }
            MidiCatalog catalog = MidiCatalog.builder().jdbcUrl(server.jdbcUrl(key)).username(server.username())
                    .password(server.password()).poolProfile(profile).build();
            catalog.migrate();
            if (!isBuilt(catalog.dataSource())) {
                long start = System.nanoTime();
                System.err.printf(Locale.ROOT, "[bench] building dataset %s (%,d rows)...%n", key, rows);
                loader.load(catalog.dataSource(), rows, SEED);
                markBuilt(catalog.dataSource(), rows);
                System.err.printf(Locale.ROOT, "[bench] dataset %s built in %.1f s%n", key,
                        (System.nanoTime() - start) / 1e9);
            }
            return new BenchDataset(server, catalog, key, rows);
        } catch (Exception e) {
            server.close();
            throw e instanceof CatalogException ce ? ce : new CatalogException("could not open bench dataset "
                    + key + ": " + e.getMessage(), e);
        }
    }

    static Path home() {
        String env = System.getenv("MIDI_CATALOG_BENCH_HOME");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".midi-catalog", "bench");
    }

    public MidiCatalog catalog() {
        return catalog;
    }

    public DataSource dataSource() {
        return catalog.dataSource();
    }

    public int rows() {
        return rows;
    }

    public String database() {
        return database;
    }

    public PostgresServer server() {
        return server;
    }

    @Override
    public void close() {
        try {
            catalog.close();
        } finally {
            server.close();
        }
    }

    private static boolean databaseExists(PostgresServer server, String name) throws SQLException {
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
            return rs.next();
        }
    }

    private static void createDatabase(PostgresServer server, String name) throws SQLException {
        try (Connection c = server.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    private static boolean isBuilt(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_dataset (rows integer NOT NULL, built_at timestamptz NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT rows FROM bench_dataset")) {
                return rs.next();
            }
        }
    }

    private static void markBuilt(DataSource ds, int rows) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
            s.execute("INSERT INTO bench_dataset VALUES (" + rows + ", now())");
        }
    }

}
