package io.midicatalog;

import com.zaxxer.hikari.HikariDataSource;
import io.midicatalog.api.CatalogException;
import io.midicatalog.internal.CatalogChanges;
import io.midicatalog.internal.DataSources;
import io.midicatalog.internal.SchemaMigrator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: a catalog of MIDI files in one PostgreSQL database.
 *
 * <pre>{@code
 * try (MidiCatalog catalog = new MidiCatalog(dataSource)) {   // any DataSource
 *     catalog.migrate();                                        // Flyway, idempotent
 *     ...
 * }
 * }</pre>
 *
 * or let it own a HikariCP pool: {@code MidiCatalog.builder().jdbcUrl(url).poolProfile(PoolProfile.SEARCH_HEAVY).build()}.
 * Thread-safe; one instance per database is meant to live as long as the application.
 * {@link #close()} closes only what the catalog created.
 */
public final class MidiCatalog implements AutoCloseable {
    private final DataSource dataSource;
    private final DataSource readDataSource;
    private final List<AutoCloseable> owned;
    private final Jdbi jdbi;
    private final Jdbi readJdbi;
    private final CatalogChanges changes = new CatalogChanges();

    // ---- importer (issue 4): fields ----

    // ---- search (issue 5): fields ----
    private final io.midicatalog.api.SearchRepository search;

    // ---- tracks, details, tags, favorites, browse, cache (issue 6): fields ----

    // ---- diagnostics (issue 7): fields ----

    /** A catalog over a DataSource the application owns (and closes). */
    public MidiCatalog(DataSource dataSource) {
        this(builder().dataSource(dataSource));
    }

    private MidiCatalog(Builder builder) {
        List<AutoCloseable> created = new ArrayList<>();
        DataSource main = builder.dataSource;
        if (main == null) {
            HikariDataSource pool = DataSources.pool(builder.jdbcUrl, builder.username, builder.password,
                    builder.poolSettings);
            created.add(pool);
            main = pool;
        }
        this.dataSource = main;
        this.readDataSource = builder.readDataSource != null ? builder.readDataSource : main;
        this.owned = List.copyOf(created);
        this.jdbi = configure(Jdbi.create(dataSource));
        this.readJdbi = readDataSource == dataSource ? jdbi : configure(Jdbi.create(readDataSource));

        // ---- importer (issue 4): construction ----

        // ---- search (issue 5): construction ----
        this.search = new io.midicatalog.jdbi.search.JdbiSearchRepository(readJdbi);

        // ---- tracks, details, tags, favorites, browse, cache (issue 6): construction ----

        // ---- diagnostics (issue 7): construction ----
    }

    private static Jdbi configure(Jdbi jdbi) {
        return jdbi.installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Brings the database schema up to this library's version (Flyway migrations shipped in the
     * jar). Idempotent and safe to call from several processes at once.
     *
     * @return the number of migrations applied now (0 when the schema was current)
     * @throws CatalogException when the database is unreachable, or its schema is newer than this
     *     library (upgrade midi-catalog; never downgrade a schema)
     */
    public int migrate() {
        return SchemaMigrator.migrate(dataSource);
    }

    /** The DataSource writes go to (the catalog's own pool, or the one it was given). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The DataSource searches and loads go to: the read replica if one was given. */
    public DataSource readDataSource() {
        return readDataSource;
    }

    // ---- importer (issue 4): accessors ----

    // ---- search (issue 5): accessors ----

    /** Full-text and faceted search with keyset pages, capped counts and facets (reads the replica if set). */
    public io.midicatalog.api.SearchRepository search() {
        return search;
    }

    // ---- tracks, details, tags, favorites, browse, cache (issue 6): accessors ----

    // ---- diagnostics (issue 7): accessors ----

    Jdbi jdbi() {
        return jdbi;
    }

    /** Where writes report what they changed (cache invalidation). */
    CatalogChanges changes() {
        return changes;
    }

    Jdbi readJdbi() {
        return readJdbi;
    }

    /** Closes the pool the catalog created, if any; a DataSource it was given stays open. */
    @Override
    public void close() {
        CatalogException failure = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new CatalogException("could not close " + c + ": " + e.getMessage(), e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Builds a catalog over a given DataSource, or over a HikariCP pool it owns. */
    public static final class Builder {
        private @Nullable DataSource dataSource;
        private @Nullable DataSource readDataSource;
        private @Nullable String jdbcUrl;
        private @Nullable String username;
        private @Nullable String password;
        private PoolSettings poolSettings = PoolProfile.MIXED.settings();
        // ---- builder options of later issues (cache spec, slow-query threshold) ----

        private Builder() {}

        /** Use this DataSource (the catalog will not close it); excludes {@link #jdbcUrl}. */
        public Builder dataSource(DataSource value) {
            dataSource = Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /** A read-only replica for search, loading and details; writes still go to the primary. */
        public Builder readDataSource(DataSource value) {
            readDataSource = Objects.requireNonNull(value, "readDataSource");
            return this;
        }

        /** Let the catalog own a HikariCP pool to this URL ({@code jdbc:postgresql://host:port/db}). */
        public Builder jdbcUrl(String value) {
            jdbcUrl = Objects.requireNonNull(value, "jdbcUrl");
            return this;
        }

        public Builder username(@Nullable String value) {
            username = value;
            return this;
        }

        public Builder password(@Nullable String value) {
            password = value;
            return this;
        }

        /** Pool settings of a profile (default {@link PoolProfile#MIXED}). */
        public Builder poolProfile(PoolProfile profile) {
            poolSettings = Objects.requireNonNull(profile, "profile").settings();
            return this;
        }

        /** Pool settings, e.g. a profile's with some values changed. */
        public Builder poolSettings(PoolSettings settings) {
            poolSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Builds the catalog. With {@link #jdbcUrl} it opens the pool now and fails within the
         * acquire timeout when the database cannot be reached.
         *
         * @throws IllegalStateException when neither or both of a DataSource and a URL were given
         * @throws CatalogException naming host, port and database (never the password) and the cause
         */
        public MidiCatalog build() {
            if ((dataSource == null) == (jdbcUrl == null)) {
                throw new IllegalStateException("give exactly one of dataSource(...) and jdbcUrl(...)");
            }
            return new MidiCatalog(this);
        }
    }
}
